/**
 * Whether this browser can read a voucher's QR code with the camera (its own reader; no library
 * shipped). Apart from the scanner, so that pages ask without loading it.
 */
export function canScanVoucher(): boolean {
  return typeof window !== 'undefined' && 'BarcodeDetector' in window && Boolean(navigator.mediaDevices?.getUserMedia);
}

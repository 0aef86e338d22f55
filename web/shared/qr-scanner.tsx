import { useEffect, useRef, useState } from 'react';
import { readVoucherQr } from '../../shared/voucher-qr';

interface DetectedCode {
  rawValue: string;
}
interface BarcodeDetectorLike {
  detect(source: CanvasImageSource): Promise<DetectedCode[]>;
}
declare const BarcodeDetector: { new (options: { formats: string[] }): BarcodeDetectorLike };

export interface ScannerTexts {
  scanning: string;
  noCamera: string;
  otherMunicipality: string;
  stop: string;
}

/**
 * Reads the 18-digit QR of a voucher (kind + dose count + municipality code + voucher number) with
 * the phone's camera, using the browser's own QR reader. Shared by the resident app and the staff
 * app (each passes its own texts), so neither bundle imports the other.
 */
export function VoucherQrScanner({
  municipalityCode,
  texts,
  onNumber,
  onClose,
}: {
  municipalityCode: string;
  texts: ScannerTexts;
  onNumber: (voucher: string) => void;
  onClose: () => void;
}) {
  const video = useRef<HTMLVideoElement>(null);
  const [message, setMessage] = useState(texts.scanning);
  // The parent passes new functions and texts on each render; the camera must not restart for that.
  const found = useRef(onNumber);
  found.current = onNumber;
  const said = useRef(texts);
  said.current = texts;

  useEffect(() => {
    let stream: MediaStream | undefined;
    let timer: number | undefined;
    let stopped = false;
    const detector = new BarcodeDetector({ formats: ['qr_code'] });
    const look = async () => {
      if (stopped || !video.current) return;
      try {
        for (const code of await detector.detect(video.current)) {
          const reading = readVoucherQr(code.rawValue, municipalityCode);
          if (!reading.ok) {
            if (reading.reason === 'other-municipality') setMessage(said.current.otherMunicipality);
            continue;
          }
          found.current(reading.voucherNumber);
          return;
        }
      } catch {
        // A frame that cannot be read yet: try the next one.
      }
      timer = window.setTimeout(look, 300);
    };
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: 'environment' } })
      .then(async (s) => {
        stream = s;
        if (!video.current || stopped) return;
        video.current.srcObject = s;
        await video.current.play();
        void look();
      })
      .catch(() => setMessage(said.current.noCamera));
    return () => {
      stopped = true;
      window.clearTimeout(timer);
      stream?.getTracks().forEach((track) => track.stop());
    };
  }, [municipalityCode]);

  return (
    <div className="scanner">
      <video ref={video} muted playsInline className="scanner-video" />
      <p role="status">{message}</p>
      <button type="button" className="button button-secondary" onClick={onClose}>
        {texts.stop}
      </button>
    </div>
  );
}

import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { readVoucherQr } from '../../../shared/voucher-qr';

interface DetectedCode {
  rawValue: string;
}
interface BarcodeDetectorLike {
  detect(source: CanvasImageSource): Promise<DetectedCode[]>;
}
declare const BarcodeDetector: { new (options: { formats: string[] }): BarcodeDetectorLike };

/**
 * Reads the 18-digit QR of a voucher (kind + dose count + municipality code + voucher number)
 * with the phone's camera, using the browser's own QR reader: no library is shipped for it.
 */
export default function VoucherScanner({
  municipalityCode,
  onNumber,
  onClose,
}: {
  municipalityCode: string;
  onNumber: (voucher: string) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const video = useRef<HTMLVideoElement>(null);
  const [message, setMessage] = useState(t('voucher.scanning'));
  // The parent passes a new function on each render; the camera must not restart for that.
  const found = useRef(onNumber);
  found.current = onNumber;

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
            if (reading.reason === 'other-municipality') setMessage(t('voucher.scanOtherMunicipality'));
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
      .catch(() => setMessage(t('voucher.scanNoCamera')));
    return () => {
      stopped = true;
      window.clearTimeout(timer);
      stream?.getTracks().forEach((track) => track.stop());
    };
  }, [municipalityCode, t]);

  return (
    <div className="scanner">
      <video ref={video} muted playsInline className="scanner-video" />
      <p role="status">{message}</p>
      <button type="button" className="button button-secondary" onClick={onClose}>
        {t('voucher.scanStop')}
      </button>
    </div>
  );
}

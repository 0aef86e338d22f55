import { useTranslation } from 'react-i18next';
import { VoucherQrScanner } from '../../shared/qr-scanner';

/** The voucher's QR read by the camera, in the resident's language (the reader itself is shared with the staff app). */
export default function VoucherScanner(props: { municipalityCode: string; onNumber: (voucher: string) => void; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <VoucherQrScanner
      {...props}
      texts={{
        scanning: t('voucher.scanning'),
        noCamera: t('voucher.scanNoCamera'),
        otherMunicipality: t('voucher.scanOtherMunicipality'),
        stop: t('voucher.scanStop'),
      }}
    />
  );
}

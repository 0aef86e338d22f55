/**
 * The fields of an imported resident and the header names municipal systems give them, in
 * Japanese and English. A header is compared folded (NFKC, lower case, no spaces, underscores,
 * hyphens or brackets), so 「生年月日」, "Birth date" and "birth_date" all find their field.
 */
export const MAX_IMPORTED_DOSES = 8;

export const BASE_FIELDS = ['voucherNumber', 'birthDate', 'nameKanji', 'nameKana', 'sex', 'postcode', 'address', 'phone'] as const;
export type BaseField = (typeof BASE_FIELDS)[number];
/** `dose1.date`, `dose1.vaccine`, … up to MAX_IMPORTED_DOSES. */
export type DoseField = `dose${number}.${'date' | 'vaccine'}`;
export type ImportField = BaseField | DoseField;
export const REQUIRED_FIELDS: readonly BaseField[] = ['voucherNumber', 'birthDate', 'nameKanji', 'nameKana', 'sex'];

export const DOSE_FIELDS: DoseField[] = Array.from({ length: MAX_IMPORTED_DOSES }, (_, i) => [
  `dose${i + 1}.date` as DoseField,
  `dose${i + 1}.vaccine` as DoseField,
]).flat();
export const IMPORT_FIELDS: readonly ImportField[] = [...BASE_FIELDS, ...DOSE_FIELDS];

export function isImportField(value: string): value is ImportField {
  return (IMPORT_FIELDS as readonly string[]).includes(value);
}

const ALIASES: Record<BaseField, string[]> = {
  voucherNumber: ['券番号', '接種券番号', '接種券no', 'クーポン券番号', 'voucher', 'vouchernumber', 'voucherno', 'ticketnumber'],
  birthDate: ['生年月日', '誕生日', 'birthdate', 'dateofbirth', 'dob', 'born'],
  nameKanji: ['氏名', '漢字氏名', '氏名漢字', '名前', 'name', 'namekanji', 'fullname'],
  nameKana: ['フリガナ', 'ふりがな', 'カナ氏名', '氏名カナ', '氏名フリガナ', 'カナ', 'kana', 'namekana', 'furigana'],
  sex: ['性別', 'sex', 'gender'],
  postcode: ['郵便番号', '〒', 'postcode', 'postalcode', 'zip', 'zipcode'],
  address: ['住所', '現住所', 'address'],
  phone: ['電話番号', '電話', '連絡先電話番号', '携帯電話番号', 'phone', 'telephone', 'tel', 'phonenumber', 'mobile'],
};

export function foldHeader(header: string): string {
  return header
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s_\-‐()（）[\]【】・.:：]/g, '');
}

const aliasIndex = new Map<string, BaseField>(
  (Object.entries(ALIASES) as [BaseField, string[]][]).flatMap(([field, names]) => names.map((n) => [foldHeader(n), field] as const)),
);

/** 「1回目接種日」「1回目ワクチン」, "dose 1 date", "dose1_vaccine". */
function doseFieldOf(folded: string): DoseField | undefined {
  const ja = /^(?:第)?(\d{1,2})回目?(接種日|接種年月日|日付|ワクチン|ワクチン名|ワクチン種類|メーカー)$/.exec(folded);
  const en = /^dose(\d{1,2})(date|vaccine|product)$/.exec(folded);
  const number = Number(ja?.[1] ?? en?.[1]);
  if (!Number.isInteger(number) || number < 1 || number > MAX_IMPORTED_DOSES) return undefined;
  const kind = ja ? (/日/.test(ja[2]!) ? 'date' : 'vaccine') : en![2] === 'date' ? 'date' : 'vaccine';
  return `dose${number}.${kind}`;
}

export function fieldOfHeader(header: string): ImportField | undefined {
  const folded = foldHeader(header);
  return aliasIndex.get(folded) ?? doseFieldOf(folded);
}

export type ColumnMapping = Partial<Record<ImportField, string>>;

/**
 * Field → header for a file's headers: what the municipality confirmed last time first (when that
 * header is in this file), then what the names say. A header serves one field at most.
 */
export function detectMapping(headers: readonly string[], remembered: ColumnMapping = {}): ColumnMapping {
  const mapping: ColumnMapping = {};
  const used = new Set<string>();
  for (const [field, header] of Object.entries(remembered) as [ImportField, string][]) {
    if (isImportField(field) && headers.includes(header) && !used.has(header)) {
      mapping[field] = header;
      used.add(header);
    }
  }
  for (const header of headers) {
    if (used.has(header)) continue;
    const field = fieldOfHeader(header);
    if (field && mapping[field] === undefined) {
      mapping[field] = header;
      used.add(header);
    }
  }
  return mapping;
}

export function missingRequired(mapping: ColumnMapping): BaseField[] {
  return REQUIRED_FIELDS.filter((field) => mapping[field] === undefined);
}

/** Each field's column index in a row, for the headers of a file. */
export function columnIndexes(headers: readonly string[], mapping: ColumnMapping): Map<ImportField, number> {
  const indexes = new Map<ImportField, number>();
  for (const [field, header] of Object.entries(mapping) as [ImportField, string][]) {
    const index = headers.indexOf(header);
    if (index >= 0) indexes.set(field, index);
  }
  return indexes;
}

/**
 * How many SMS parts a text takes: GSM 03.38 texts fit 160 characters in one part and 153 per part
 * when concatenated (escape-table characters count twice); anything else goes as UCS-2, 70 and 67.
 */
const GSM_BASIC =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const GSM_EXTENDED = "^{}\\[~]|€\f";

/** Septets the text takes in GSM 03.38, or undefined when it needs UCS-2. */
function gsmLength(text: string): number | undefined {
  let n = 0;
  for (const ch of text) {
    if (GSM_BASIC.includes(ch)) n += 1;
    else if (GSM_EXTENDED.includes(ch)) n += 2;
    else return undefined;
  }
  return n;
}

export function smsSegments(text: string): number {
  const gsm = gsmLength(text);
  if (gsm !== undefined) return gsm <= 160 ? 1 : Math.ceil(gsm / 153);
  // UCS-2 counts UTF-16 code units: a character outside the BMP takes two.
  const units = text.length;
  return units <= 70 ? 1 : Math.ceil(units / 67);
}

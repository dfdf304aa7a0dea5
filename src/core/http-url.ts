/** Is `value` an absolute http(s) URL WhatsApp can fetch or a user can open (at most 2048 characters)? */
export function isHttpUrl(value: string): boolean {
  return value.length <= 2048 && /^https?:\/\/[^\s/?#]+[^\s]*$/i.test(value);
}

/** `Authorization: Bearer <token>`, the scheme Meta's and Sinch's APIs take (case-insensitive). */
export function bearerToken(header: string | undefined): string | undefined {
  return header ? /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1] : undefined;
}

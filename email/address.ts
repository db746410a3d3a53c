// The bare address of a "Name <address>" line (MAIL_FROM), lower-cased.
export function mailAddressOf(from: string): string {
  const inBrackets = /<([^<>]+)>/.exec(from);
  return (inBrackets?.[1] ?? from).trim().toLowerCase();
}

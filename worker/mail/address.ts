/**
 * A minimal local check of a recipient before it goes anywhere. It rejects only what can never be
 * delivered or would corrupt a message header (spaces, line breaks, several addresses, no domain);
 * whether an address is acceptable beyond that is the provider's call, answered per message.
 */
export function recipientProblem(address: string): string | null {
  if (address.length === 0) return 'the address is empty';
  if (address.length > 254) return 'the address is longer than 254 characters';
  if (/[\s<>,;"\\()[\]\u0000-\u001f\u007f]/.test(address)) return 'the address contains spaces, control characters or list punctuation';
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1) return 'the address needs a local part and a domain around one "@"';
  if (address.indexOf('@') !== at) return 'the address has more than one "@"';
  return null;
}

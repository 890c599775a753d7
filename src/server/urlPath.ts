/** Raw (still percent-encoded) path of a request target, without query or fragment. */
export function pathnameOf(url: string | undefined): string {
  if (!url) return '';
  const end = url.search(/[?#]/);
  return end === -1 ? url : url.slice(0, end);
}

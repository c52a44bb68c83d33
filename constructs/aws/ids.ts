/** PascalCase construct ids and output keys from model ids (DNS labels: letters, digits, "-"). */
export function constructId(id: string): string {
  return id
    .split('-')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

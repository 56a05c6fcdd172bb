/** Python-compatible number formatting ('%.Nf' rounds exact ties half-to-even; JS toFixed rounds them up). Pure. */
export function pyFixed(x: number, digits: number): string {
  if (!Number.isFinite(x)) return x !== x ? 'nan' : x > 0 ? 'inf' : '-inf';
  const s = x.toFixed(digits);
  // exact binary ties are rare; detect them from the exact decimal expansion
  const wide = Math.min(100, digits + 60);
  const exact = x.toFixed(wide);
  const tail = exact.slice(exact.length - (wide - digits));
  if (!/^50*$/.test(tail)) return s;
  const down = exact.slice(0, exact.length - (wide - digits)).replace(/\.$/, '');
  const lastDigit = Number(down[down.length - 1]);
  return lastDigit % 2 === 0 ? (digits === 0 ? down.replace(/\.$/, '') : down) : s;
}

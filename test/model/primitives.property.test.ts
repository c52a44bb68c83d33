/** Property tests of the strict scalar parsers. */
import fc from 'fast-check';
import {
  cidrsOverlap,
  formatIpv4,
  isValidIsoDate,
  parseCidr,
  quantityToBytes,
  quantityToGiB,
} from '../../infra/model';

const cidrArb = fc
  .tuple(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 32 }))
  .map(([addr, prefix]) => {
    const size = 2 ** (32 - prefix);
    return { network: addr - (addr % size), prefix };
  });

describe('CIDR parsing', () => {
  it('round-trips every aligned block', () => {
    fc.assert(
      fc.property(cidrArb, (c) => {
        expect(parseCidr(`${formatIpv4(c.network)}/${c.prefix}`)).toEqual(c);
      }),
    );
  });

  it('rejects blocks with host bits set', () => {
    fc.assert(
      fc.property(
        cidrArb.filter((c) => c.prefix < 32),
        fc.integer({ min: 1 }),
        (c, k) => {
          const offset = 1 + (k % (2 ** (32 - c.prefix) - 1));
          expect(typeof parseCidr(`${formatIpv4(c.network + offset)}/${c.prefix}`)).toBe('string');
        },
      ),
    );
  });

  it('overlap is symmetric and agrees with address containment', () => {
    fc.assert(
      fc.property(cidrArb, cidrArb, (a, b) => {
        const contains = (x: typeof a, ip: number): boolean =>
          ip >= x.network && ip < x.network + 2 ** (32 - x.prefix);
        expect(cidrsOverlap(a, b)).toBe(cidrsOverlap(b, a));
        expect(cidrsOverlap(a, b)).toBe(contains(a, b.network) || contains(b, a.network));
      }),
    );
  });

  it.each(['10.0.0.0', '10.0.0/8', '010.0.0.0/8', '256.0.0.0/8', '10.0.0.0/33', ' 10.0.0.0/8'])(
    'rejects %j',
    (v) => {
      expect(typeof parseCidr(v)).toBe('string');
    },
  );
});

describe('quantities', () => {
  it('scales by binary suffixes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.constantFrom(['', 0n], ['Ki', 10n], ['Mi', 20n], ['Gi', 30n], ['Ti', 40n], ['Pi', 50n]),
        (n, [suffix, shift]) => {
          expect(quantityToBytes(`${n}${suffix}`)).toBe(BigInt(n) << (shift as bigint));
        },
      ),
    );
  });

  it('rounds GiB up', () => {
    expect(quantityToGiB('1Ti')).toBe(1024);
    expect(quantityToGiB('1025Mi')).toBe(2);
  });

  it.each(['50T', '1.5Ti', '-1Gi', '01Gi', 'Ti', '5 Gi'])('rejects %j', (q) => {
    expect(() => quantityToBytes(q)).toThrow();
  });
});

describe('dates', () => {
  it('accepts exactly the days that exist', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1970-01-01'), max: new Date('2199-12-31'), noInvalidDate: true }),
        (d) => {
          expect(isValidIsoDate(d.toISOString().slice(0, 10))).toBe(true);
        },
      ),
    );
    for (const bad of ['2026-02-29', '2026-13-01', '2026-1-01', '26-01-01', '2026-01-01T00:00:00Z'])
      expect(isValidIsoDate(bad)).toBe(false);
    expect(isValidIsoDate('2028-02-29')).toBe(true);
  });
});

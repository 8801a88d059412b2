import { canonicalAddress } from './sign-in-addresses.store';

describe('canonicalAddress: one spelling per address', () => {
  it('reads an IPv4-mapped IPv6 address as the IPv4 address it is, in either notation and case', () => {
    for (const spelling of ['198.51.100.7', '::ffff:198.51.100.7', '::FFFF:198.51.100.7', '::ffff:c633:6407'])
      expect({ spelling, address: canonicalAddress(spelling) }).toEqual({
        spelling,
        address: '198.51.100.7',
      });
  });

  it('writes IPv6 compressed and lower-case, and keeps distinct addresses distinct', () => {
    expect(canonicalAddress('2001:DB8:0:0:0:0:0:1')).toBe('2001:db8::1');
    expect(canonicalAddress('2001:db8::1')).toBe('2001:db8::1');
    expect(canonicalAddress('::1')).toBe('::1');
    expect(canonicalAddress('127.0.0.1')).toBe('127.0.0.1');
    // Not mapped: an IPv4-compatible or NAT64 form names another address.
    expect(canonicalAddress('::198.51.100.7')).not.toBe('198.51.100.7');
    expect(canonicalAddress('64:ff9b::198.51.100.7')).not.toBe('198.51.100.7');
    expect(canonicalAddress('fe80::1%eth0')).toBe('fe80::1%eth0');
  });
});

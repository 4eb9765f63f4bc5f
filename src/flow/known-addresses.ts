import { u32be } from '../byte-fields';
import { addressBytes, type AddressBytes } from './endpoint-key';

/** Addresses seen, each kept once as `make` makes it from the address's bytes (the bytes themselves, or
 * the address formatted): many connections share a server's or a client's address, and each made its own
 * copy. An IPv4 address is looked up by its 32-bit value, so that a known one costs no new string; an IPv6
 * one by its bytes. Emptied when it holds `limit` addresses of one family, so that a scan of random
 * addresses cannot grow it: an address dropped is only made twice, never wrong. */
export class KnownAddresses<T> {
  private readonly ipv4 = new Map<number, T>();
  private readonly ipv6 = new Map<AddressBytes, T>();

  constructor(private readonly limit: number, private readonly make: (address: AddressBytes) => T) {}

  /** The address of `len` bytes at `offset` in `bytes`, as kept. */
  at(bytes: Buffer, offset: number, len: number): T {
    if (len === 4) {
      const value = u32be(bytes, offset);
      return this.ipv4.get(value) ?? this.keep(this.ipv4, value, this.make(addressBytes(bytes, offset, len)));
    }
    const address = addressBytes(bytes, offset, len);
    return this.ipv6.get(address) ?? this.keep(this.ipv6, address, this.make(address));
  }

  private keep<K>(kept: Map<K, T>, key: K, value: T): T {
    if (kept.size >= this.limit) kept.clear();
    kept.set(key, value);
    return value;
  }
}

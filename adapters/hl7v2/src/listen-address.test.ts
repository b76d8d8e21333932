import { Hl7ListenAddressError, parseListenAddress } from './listen-address.js';

describe('parseListenAddress', () => {
  it('defaults to 127.0.0.1:2575', () => {
    expect(parseListenAddress(undefined)).toEqual({ host: '127.0.0.1', port: 2575 });
    expect(parseListenAddress('  ')).toEqual({ host: '127.0.0.1', port: 2575 });
  });

  it('reads a port, host:port and a bracketed IPv6 address', () => {
    expect(parseListenAddress('2576')).toEqual({ host: '127.0.0.1', port: 2576 });
    expect(parseListenAddress('0')).toEqual({ host: '127.0.0.1', port: 0 });
    expect(parseListenAddress('0.0.0.0:2575')).toEqual({ host: '0.0.0.0', port: 2575 });
    expect(parseListenAddress('hl7.clinic.example:12000')).toEqual({
      host: 'hl7.clinic.example',
      port: 12000,
    });
    expect(parseListenAddress('[::1]:2575')).toEqual({ host: '::1', port: 2575 });
  });

  it('switches the listener off', () => {
    for (const off of ['off', 'OFF', 'false', 'no', 'none'])
      expect(parseListenAddress(off)).toBe(false);
  });

  it.each(['abc', '65536', '127.0.0.1:', ':2575', '::1:2575', '2575 2576'])(
    'refuses %j with a coded error naming the setting',
    (text) => {
      let error: unknown;
      try {
        parseListenAddress(text, 'CAREGRAPH_HL7_LISTEN');
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(Hl7ListenAddressError);
      expect(error).toMatchObject({ code: 'CG_ERR_HL7_LISTEN_ADDRESS' });
      expect((error as Error).message).toContain('CAREGRAPH_HL7_LISTEN must be');
    },
  );
});

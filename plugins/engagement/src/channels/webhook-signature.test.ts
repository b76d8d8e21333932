import { twilioSignature, verifyTwilioSignature } from './webhook-signature.js';

// Twilio's published example (docs, "Validating requests", twilio-node 3.x snippet).
const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const params = new URLSearchParams({
  CallSid: 'CA1234567890ABCDE',
  Caller: '+14158675310',
  Digits: '1234',
  From: '+14158675310',
  To: '+18005551212',
});
const signature = 'GvWf1cFY/Q7PnoempGyD5oXAezc=';

it("computes Twilio's published signature, whatever the order of the parameters", () => {
  expect(twilioSignature(url, params, '12345')).toBe(signature);
  const reordered = new URLSearchParams([...params].reverse());
  expect(twilioSignature(url, reordered, '12345')).toBe(signature);
});

it('accepts the signature of the URL and parameters', () => {
  expect(verifyTwilioSignature(url, params, signature, '12345')).toBe(true);
});

it('refuses a missing, truncated or foreign signature, a tampered parameter or another URL', () => {
  const tampered = new URLSearchParams(params);
  tampered.set('Digits', '1235');
  expect(verifyTwilioSignature(url, params, undefined, '12345')).toBe(false);
  expect(verifyTwilioSignature(url, params, '', '12345')).toBe(false);
  expect(verifyTwilioSignature(url, params, signature.slice(0, -2), '12345')).toBe(false);
  expect(verifyTwilioSignature(url, params, signature, 'another-token')).toBe(false);
  expect(verifyTwilioSignature(url, tampered, signature, '12345')).toBe(false);
  expect(verifyTwilioSignature(`${url}&baz=3`, params, signature, '12345')).toBe(false);
});

it('signs repeated parameters by name, then value', () => {
  const a = new URLSearchParams([
    ['MediaUrl', 'b'],
    ['MediaUrl', 'a'],
    ['Body', 'x'],
  ]);
  const b = new URLSearchParams([
    ['Body', 'x'],
    ['MediaUrl', 'a'],
    ['MediaUrl', 'b'],
  ]);
  expect(twilioSignature(url, a, 't')).toBe(twilioSignature(url, b, 't'));
  expect(twilioSignature(url, a, 't')).not.toBe(
    twilioSignature(
      url,
      new URLSearchParams([
        ['Body', 'x'],
        ['MediaUrl', 'a'],
      ]),
      't',
    ),
  );
});

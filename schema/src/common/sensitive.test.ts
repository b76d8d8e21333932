import { Sensitive, sensitiveProperties } from './sensitive.js';

class Base {
  @Sensitive()
  note?: string;
}
class Child extends Base {
  @Sensitive({ blindIndex: 'valueIndex' })
  value?: string;
  valueIndex?: string;
  plain?: string;
}

describe('@Sensitive', () => {
  it('records marked properties, inherited ones included', () => {
    expect([...sensitiveProperties(Child)]).toEqual([
      ['note', {}],
      ['value', { blindIndex: 'valueIndex' }],
    ]);
    expect([...sensitiveProperties(Base).keys()]).toEqual(['note']);
  });
});

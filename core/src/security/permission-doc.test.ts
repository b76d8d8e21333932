import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { renderPermissionMatrix, withPermissionMatrix } from './permission-doc.js';

const DOC = fileURLToPath(new URL('../../../docs/security.md', import.meta.url));

describe('docs/security.md', () => {
  it('carries the permission matrix generated from the rules (run "npm run docs:security")', async () => {
    const committed = await readFile(DOC, 'utf8');
    expect(withPermissionMatrix(committed)).toBe(committed);
  });

  it('renders a denial as — and a grant as scope: purposes', () => {
    const rendered = renderPermissionMatrix();
    expect(rendered).toMatch(/\| `analyst` \| — \|/);
    expect(rendered).toContain('team: TREAT ETREAT');
    expect(rendered).toContain(
      '| `Mutation.breakGlass` | roles: physician, nurse, care_coordinator |',
    );
  });
});

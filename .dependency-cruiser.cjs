// The import-graph check (`npm run lint:imports`, part of `npm test`).
//
// src/ is one folder per layer; a folder may import only the folders listed
// before it (docs/architecture.md says what each layer is for). Folders on one
// line are siblings: they may import each other only in the direction the
// list gives, because a sibling listed later counts as above. Test files
// (*.test.ts) and the fixtures they share (*.test-kit.ts) may use any layer; the composition
// root they usually need is `lab/`. Steps (steps/) sit on top of everything.
//
// No module may take part in an import circle, in any folder.
const LAYERS = [
  'core', //          bytes, APDU, ATR, TLV, SW, GBK, JSON loading, version
  'crypto', //        block ciphers, MACs, key derivation, hashes, RSA, SM2, vectors
  'model', //         the shared vocabulary: profile, key set, basic data, key types, COS behaviour, defect ids, catalogue
  'channel', //       the one card interface, its decorators, the recorder and trace model, the card session
  'cos', //           COS command and data formats shared by the card and its personaliser
  'emv', //           EMV terminal processing: DOL, AFL, TVR/TSI, CVM, risk management, action analysis
  'ssse', //          social-security data: EF05/EF06 layouts, diversification factors
  'pboc', //          PBOC debit: cryptograms, ODA, PKI, data preparation, issuer host
  'sim', //           the simulated COS
  'perso', //         personalisation script and the personaliser
  'psam', //          the PSAM client and the PSAM key set
  'terminal', //      the reference terminals
  'transport', //     PC/SC
  'vpcd', //          the simulated card served to pcscd, fixture control
  'conformance', //   harness operations and checks on a card session
  'lab', //           composition root: profiles, targets, cards, PSAMs, test cards
  'fuzz', //          structure-aware APDU fuzzing of the simulator (npm run fuzz)
  'report', //        traces, verdicts, Allure, HTML, compare
  'terminal-test', // terminals under test
  'cli', //           the ssc-lab command
];

const above = (i) => LAYERS.slice(i + 1);

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import circle: the modules cannot be understood, tested or moved one at a time.',
      from: {},
      to: { circular: true },
    },
    ...LAYERS.map((layer, i) => ({
      name: `layer-${layer}`,
      severity: 'error',
      comment: `src/${layer}/ may import only the layers below it: ${LAYERS.slice(0, i).join(', ') || '(none)'}.`,
      from: { path: `^src/${layer}/`, pathNot: '\\.test(-kit)?\\.ts$' },
      to: { path: above(i).length ? `^src/(${above(i).join('|')})/` : '^$' },
    })),
    {
      name: 'layer-unknown-folder',
      severity: 'error',
      comment: 'Every folder of src/ is a layer listed in .dependency-cruiser.cjs (and docs/architecture.md).',
      from: {},
      to: { path: `^src/(?!(${LAYERS.join('|')})/)` },
    },
    {
      name: 'layer-unknown-folder-importing',
      severity: 'error',
      comment: 'Every folder of src/ is a layer listed in .dependency-cruiser.cjs (and docs/architecture.md).',
      from: { path: `^src/(?!(${LAYERS.join('|')})/)` },
      to: { path: '^src/' },
    },
    {
      name: 'pcsc-only-from-the-composition-root',
      severity: 'error',
      comment: 'Only the composition root (lab/) opens PC/SC readers; everything else receives a CardChannel.',
      from: { path: '^src/', pathNot: ['^src/(lab|transport)/', '\\.test(-kit)?\\.ts$'] },
      to: { path: '^src/transport/' },
    },
    {
      name: 'not-to-steps',
      severity: 'error',
      comment: 'src/ never imports the step definitions.',
      from: { path: '^src/' },
      to: { path: '^steps/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|reports)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'] },
  },
};

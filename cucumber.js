// Cucumber configuration. `ssc-lab run` loads this file and overrides the
// world parameters (target, profile, sample id) and output locations from its
// own flags; it replaces the formatters below with its run report (Allure
// results completed from its run model) and writes JUnit from that model,
// with the suite name given here. `npx cucumber-js` with the tsx loader uses
// this file as it is: plain Allure results and cucumber's JUnit.
export default {
  paths: ['features/**/*.feature'],
  // the steps as built to dist/ when the launcher runs the built JavaScript (bin/build.js), else the TypeScript under tsx
  import: [process.env.SSC_LAB_BUILT === '1' ? 'dist/steps/**/*.js' : 'steps/**/*.ts'],
  format: [['allure-cucumberjs/reporter', 'reports/allure.out'], 'junit:reports/junit.xml'],
  formatOptions: {
    resultsDir: 'reports/allure-results',
    labels: [{ pattern: [/@req:(.*)/], name: 'requirement' }],
    junit: { suiteName: 'ssc-lab' },
  },
  strict: true,
  worldParameters: {
    target: 'sim',
    profileFile: 'profiles/default.json',
  },
};

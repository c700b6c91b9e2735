// node check.js OUTDIR TEMPLATE.json...
// Synthesizes the plain CloudFormation template (transform.py's output) in a CDK app through
// cloudformation_include.CfnInclude, with the policy validation plugins: cdk-nag's AwsSolutions,
// NIST 800-53 rev 5 and Serverless packs, and cfn-guard with the Control Tower proactive controls
// that @cdklabs/cdk-validator-cfnguard bundles. Prints one JSON object per finding and line:
// {"set", "checker", "rule", "resource", "message"} (set: the template's name without .template.json); rule is the pack's rule id (AwsSolutions-IAM5[...])
// or the Control Tower control id (CT.S3.PR.8), resource the logical id in the template.
// Exit 2 when a plugin could not run.
const fs = require('fs');
const path = require('path');
const cdk = require('aws-cdk-lib');
const { CfnInclude } = require('aws-cdk-lib/cloudformation-include');
const nag = require('cdk-nag');
const { CfnGuardValidator } = require('@cdklabs/cdk-validator-cfnguard');

const [outRoot, ...templateFiles] = process.argv.slice(2);
if (!outRoot || templateFiles.length === 0) {
  console.error('usage: node check.js OUTDIR TEMPLATE.json...');
  process.exit(2);
}
let broken = 0;
for (const templateFile of templateFiles) {
  const set = path.basename(templateFile).replace(/\.template\.json$/, '');
  broken += check(set, templateFile, path.join(outRoot, set + '.cdk.out'));
}
process.exitCode = broken ? 2 : 0;

/** Prints the findings on one template; returns how many plugins could not run. */
function check(set, templateFile, outdir) {
  fs.rmSync(outdir, { recursive: true, force: true });
  const app = new cdk.App({
    outdir,
    policyValidationBeta1: [
      new CfnGuardValidator({ controlTowerRulesEnabled: true }),
      new nag.AwsSolutionsChecks(),
      new nag.NIST80053R5Checks(),
      new nag.ServerlessChecks(),
    ],
    context: { '@aws-cdk/core:validationReportJson': true },
  });
  const stack = new cdk.Stack(app, 'mtls-gateway', {
    env: { account: '111122223333', region: 'eu-west-1' },
    synthesizer: new cdk.LegacyStackSynthesizer(),
  });
  new CfnInclude(stack, 'Template', { templateFile, preserveLogicalIds: true });

  // Failed validations make synth throw after the report is written; the report is what counts.
  const reportFile = path.join(outdir, 'policy-validation-report.json');
  try {
    app.synth();
  } catch (e) {
    if (!fs.existsSync(reportFile)) {
      console.error(`check.js: ${set}: synthesis failed before validation: ` + (e.stack || e));
      return 1;
    }
  }
  const report = JSON.parse(fs.readFileSync(reportFile, 'utf8'));
  let broken = 0;
  for (const plugin of report.pluginReports || []) {
    const name = plugin.summary?.pluginName;
    if (plugin.summary?.metadata?.error) {
      console.error(`check.js: ${set}: ${name} could not run: ${plugin.summary.metadata.error}`);
      broken++;
    }
    for (const v of plugin.violations || []) {
      const checker = name === 'cdk-validator-cfnguard' ? 'cfn-guard' : name === 'CloudFormation Validate' ? 'cdk' : 'cdk-nag';
      let rule = v.ruleName;
      let message = (v.description || '').replace(/\s+/g, ' ').trim();
      const ct = message.match(/^\[(CT\.[A-Z0-9.]+)\]:\s*(.*)$/);
      if (ct) {
        rule = ct[1];
        message = `${ct[2]} (${v.ruleName})`;
      }
      for (const r of v.violatingResources || []) {
        const resource = r.resourceLogicalId ?? (r.constructPath || '').split('/').pop();
        console.log(JSON.stringify({ set, checker, rule, resource, message }));
      }
    }
  }
  return broken;
}

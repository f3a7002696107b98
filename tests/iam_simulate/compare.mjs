import { runSimulation } from '@cloud-copilot/iam-simulate'
import fs from 'fs'
const { policy, requests } = JSON.parse(fs.readFileSync('requests.json'))
const limit = Number(process.argv[2] || requests.length)
const map = { Allowed: 'allow', ExplicitlyDenied: 'explicit-deny', ImplicitlyDenied: 'implicit-deny' }
const diffs = {}, errors = {}
let n = 0
for (const r of requests.slice(0, limit)) {
  const sim = {
    request: { principal: r.principal, action: r.action,
      resource: { resource: r.resource, accountId: r.principal.split(':')[4] }, contextVariables: r.context },
    identityPolicies: [{ name: 'DeveloperAccess', policy }],
    serviceControlPolicies: [], resourceControlPolicies: [],
  }
  const res = await runSimulation(sim, {})
  n++
  if (res.resultType === 'error') {
    const k = r.action + ' ' + JSON.stringify(res.errors).slice(0, 300)
    errors[k] = (errors[k] || 0) + 1
    continue
  }
  const got = map[res.overallResult] || res.overallResult
  if (got !== r.offline) {
    const k = `${r.probe} ${r.action}: offline ${r.offline} (${r.by}), simulator ${got}`
    diffs[k] = (diffs[k] || 0) + 1
  }
}
console.log(JSON.stringify({ asked: n, diffs, errors }, null, 1))

'use strict';

// mailauth's MTA-STS check (policy discovery and fetch, then MX matching; no STARTTLS) over a list of domains, for the
// bulk section of MonitorService.Benchmarks (see ../Bulk/MailauthRunner.cs, which starts this script).
//
//   node mta-sts-bench.js --dns 127.0.0.1:PORT --policy-port PORT --concurrency 16 --domains FILE
//   (NODE_EXTRA_CA_CERTS=the test CA's PEM file, so the policy hosts' certificates verify as on the internet)
//
// Standard input drives it, so the benchmark can interleave this subject with its own: each line "run" checks every
// domain once and prints one JSON line; "quit" or the end of input exits. The first line printed is {"ready": ...}.
//
// Only the loopback servers of the benchmark may be contacted. mailauth asks DNS through the resolver option (pointed
// at the loopback DNS server) and fetches the policy with https.request to the address DNS gave, on port 443. So:
// every TCP connection of this process goes through a guard that refuses, before any socket exists, a destination
// that is not an IPv4 literal in 127.0.0.0/8 (names included: they would need a lookup); DNS servers are set to the
// loopback server only, for the resolver and for node's global one; the policy request's port 443 is mapped to the
// loopback HTTPS server's port. The guard is tried on 0.0.0.0 at start (refused by the guard; had it not been, that
// address is this machine), and the start fails unless it refuses.

const dns = require('node:dns');
const fs = require('node:fs');
const https = require('node:https');
const net = require('node:net');
const readline = require('node:readline');
const tls = require('node:tls');
const { getPolicy, validateMx } = require('mailauth/lib/mta-sts');

const args = parseArgs(process.argv.slice(2));
const dnsServer = args['--dns'];
const policyPort = Number(args['--policy-port']);
const concurrency = Number(args['--concurrency'] || 16);
const domains = fs.readFileSync(args['--domains'], 'utf8').split('\n').map(l => l.trim()).filter(Boolean);

class GuardError extends Error {}

function isLoopbackV4(host) {
    return typeof host === 'string' && net.isIPv4(host) && host.split('.')[0] === '127';
}

function assertLoopback(host, what) {
    if (!isLoopbackV4(host)) {
        throw new GuardError(`refused: ${what} ${JSON.stringify(host)} is not an IPv4 address in 127.0.0.0/8`);
    }
}

// net.Socket#connect receives (options), (port, host), or net's internal normalized [options, callback] array.
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guardedConnect(...connectArgs) {
    let first = connectArgs[0];
    if (Array.isArray(first)) {
        first = first[0];
    }
    const host = first && typeof first === 'object' ? first.host : connectArgs[1];
    if (first && typeof first === 'object' && first.path) {
        throw new GuardError(`refused: unix socket ${first.path}`);
    }
    assertLoopback(host, 'connection to');
    return connect.apply(this, connectArgs);
};

// mailauth connects to the address DNS returned on port 443; the loopback policy server listens elsewhere.
const request = https.request;
https.request = function loopbackRequest(options, callback) {
    assertLoopback(options.host, 'policy fetch from');
    return request.call(https, options.port === 443 || options.port === undefined ? { ...options, port: policyPort } : options, callback);
};

assertLoopback(dnsServer.split(':')[0], 'DNS server');
dns.setServers([dnsServer]);
const resolver = new dns.promises.Resolver({ timeout: 3000, tries: 3 });
resolver.setServers([dnsServer]);
for (const server of [...resolver.getServers(), ...dns.getServers()]) {
    assertLoopback(server.replace(/:\d+$/, ''), 'DNS server');
}
// mailauth's resolver option: (name, rrtype) => records, as dns.promises.resolve.
const resolve = (name, rrtype) => resolver.resolve(name, rrtype);

// Both ways a connection starts here: plain net, and tls as https's agent opens it.
function guardRefusesNonLoopback() {
    const attempts = [() => net.connect({ host: '0.0.0.0', port: 9 }), () => tls.connect({ host: '0.0.0.0', port: 9, servername: 'x.invalid' })];
    return attempts.every(attempt => {
        try {
            attempt().destroy();
        } catch (err) {
            return err instanceof GuardError;
        }
        return false;
    });
}

// One domain as a sending MTA would use mailauth: discover and fetch the policy, look up MX, match every MX host.
async function checkDomain(domain) {
    const [policyResult, mx] = await Promise.all([getPolicy(domain, null, { resolver: resolve, timeout: 10000 }), resolver.resolveMx(domain)]);
    const { policy, status } = policyResult;
    if (status !== 'found' || policy.mode !== 'enforce') {
        return `policy ${status} ${policy.mode}${policy.error ? ': ' + policy.error.message : ''}`;
    }
    const unmatched = mx.filter(record => !validateMx(record.exchange, policy).valid);
    return unmatched.length ? `MX not in policy: ${unmatched.map(r => r.exchange).join(', ')}` : null;
}

async function runOnce() {
    let next = 0;
    let ok = 0;
    let failed = 0;
    let firstError = null;
    const cpu = process.cpuUsage();
    const started = process.hrtime.bigint();
    const worker = async () => {
        while (next < domains.length) {
            const domain = domains[next++];
            let problem;
            try {
                problem = await checkDomain(domain);
            } catch (err) {
                problem = `${err.code || err.name}: ${err.message}`;
            }
            if (problem) {
                failed++;
                firstError = firstError || `${domain}: ${problem}`;
            } else {
                ok++;
            }
        }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, domains.length) }, worker));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const used = process.cpuUsage(cpu);
    const cpuMs = (used.user + used.system) / 1000;
    return { domains: domains.length, ok, failed, seconds, perSecond: domains.length / seconds, cpuMs, firstError };
}

function parseArgs(list) {
    const parsed = {};
    for (let i = 0; i < list.length; i += 2) {
        parsed[list[i]] = list[i + 1];
    }
    for (const required of ['--dns', '--policy-port', '--domains']) {
        if (!parsed[required]) {
            throw new Error(`${required} is required`);
        }
    }
    return parsed;
}

async function main() {
    if (!guardRefusesNonLoopback()) {
        throw new Error('the loopback guard did not refuse 0.0.0.0');
    }
    const packageVersion = require('mailauth/package.json').version;
    console.log(JSON.stringify({ ready: true, mailauth: packageVersion, node: process.version, domains: domains.length, concurrency, guard: 'refuses non-127.0.0.0/8' }));
    const lines = readline.createInterface({ input: process.stdin });
    for await (const line of lines) {
        if (line.trim() === 'quit') {
            break;
        }
        if (line.trim() === 'run') {
            console.log(JSON.stringify(await runOnce()));
        }
    }
}

main().catch(err => {
    console.error(err.stack || String(err));
    process.exit(1);
});

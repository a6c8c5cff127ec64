/*
 * The JavaScript reference for bench_cvss: @pandatix/js-cvss (MIT, npm),
 * the implementation whose test vectors are in
 * ../shared/conformance/cvss/js-cvss/.  It is not part of cybex: the
 * bench script installs it with npm into BUILD/bench-js/ and runs
 *
 *   node bench/cvss_ref.mjs MODULE_DIR [-t SECONDS] FILE...
 *
 * with the same files and the same loop as bench/bench_cvss.c: per round,
 * each vector parsed (new CVSS31(v) / new CVSS40(v)) and scored (v3.1:
 * BaseScore, TemporalScore and EnvironmentalScore; v4.0: Score), rounds
 * until SECONDS (1.0) of process CPU time, best of 3.  One line a file:
 *
 *   cvss_js file=F vectors=N rounds=R secs=S scores_per_s=X checksum=C
 */
import fs from 'node:fs';
import path from 'node:path';
import { register } from 'node:module';
import { pathToFileURL } from 'node:url';

/*
 * js-cvss 0.4.4 ships ES modules whose imports have no ".js" suffix
 * ("./errors"), which node does not resolve by itself: this hook retries
 * such a relative specifier with ".js" appended.
 */
const hook = `export async function resolve(s, c, next) {
	try { return await next(s, c); } catch (e) {
		if (s.startsWith('.') && !s.endsWith('.js'))
			return next(s + '.js', c);
		throw e;
	}
}`;
register('data:text/javascript,' + encodeURIComponent(hook));

const args = process.argv.slice(2);
const lib = await import(pathToFileURL(path.resolve(args.shift(),
    'dist/index.js')).href);
let secs = 1.0;
if (args[0] === '-t') {
	args.shift();
	secs = Number(args.shift());
}

function cpu() {
	const u = process.cpuUsage();
	return (u.user + u.system) / 1e6;
}

function load(file) {
	return fs.readFileSync(file, 'utf8').split('\n')
	    .map((l) => l.split(' - ')[0].trim())
	    .filter((l) => l.length > 0 && l[0] !== '#');
}

function roundOnce(vecs) {
	let sum = 0;
	for (const v of vecs) {
		if (v.startsWith('CVSS:4.0/')) {
			sum += new lib.CVSS40(v).Score();
		} else if (v.startsWith('CVSS:3.1/')) {
			const c = new lib.CVSS31(v);
			sum += c.BaseScore() + c.TemporalScore() +
			    c.EnvironmentalScore();
		} else if (v.startsWith('CVSS:3.0/')) {
			const c = new lib.CVSS30(v);
			sum += c.BaseScore() + c.TemporalScore() +
			    c.EnvironmentalScore();
		} else {
			const c = new lib.CVSS20(v);
			sum += c.BaseScore() + c.TemporalScore() +
			    c.EnvironmentalScore();
		}
	}
	return sum;
}

for (const file of args) {
	const vecs = load(file);
	const sum = roundOnce(vecs);
	let best = 0, rounds = 0;
	for (let k = 0; k < 3; k++) {
		let r = 0, t;
		const t0 = cpu();
		do {
			roundOnce(vecs);
			r++;
		} while ((t = cpu() - t0) < secs);
		if (best === 0 || t / r < best / rounds) {
			best = t;
			rounds = r;
		}
	}
	console.log(`cvss_js file=${file} vectors=${vecs.length} ` +
	    `rounds=${rounds} secs=${best.toFixed(3)} ` +
	    `scores_per_s=${(vecs.length * rounds / best).toFixed(0)} ` +
	    `checksum=${sum.toFixed(1)}`);
}

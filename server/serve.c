/*
 * Running the server: start the worker pool and the HTTP daemon, then
 * wait for signals in the main thread.  SIGHUP reopens the access log;
 * SIGTERM and SIGINT stop accepting, let requests in flight finish,
 * finish the queued add-objects jobs, and close the store cleanly.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "server.h"

static int
log_level(const char *name)
{
	if (strcmp(name, "error") == 0)
		return CYBEX_LOG_ERROR;
	if (strcmp(name, "warn") == 0)
		return CYBEX_LOG_WARN;
	if (strcmp(name, "debug") == 0)
		return CYBEX_LOG_DEBUG;
	return CYBEX_LOG_INFO;
}

static void
log_sink(void *ud, int level, const char *line)
{
	struct srv *s = ud;
	FILE *f;

	(void)level;
	pthread_mutex_lock(&s->log_mu);
	f = s->access != NULL ? s->access : stderr;
	fprintf(f, "%s\n", line);
	fflush(f);
	pthread_mutex_unlock(&s->log_mu);
}

int
serve_run(struct srv_config *cfg, const char *dsn)
{
	struct srv s;
	struct cybex_diag d;
	sigset_t set;
	char port[16], pid[16], url[300];
	int sig, rc = 1;

	memset(&s, 0, sizeof(s));
	s.cfg = *cfg;
	pthread_mutex_init(&s.log_mu, NULL);
	s.access = stderr;
	s.log.fn = log_sink;
	s.log.ud = &s;
	s.log.max_level = log_level(cfg->log_level);
	srv_reopen_log(&s);
	if (s.cfg.threads == 0) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);

		s.cfg.threads = n > 0 ? n : 2;
	}
	if (sodium_init() < 0) {
		fprintf(stderr, "cybex serve: libsodium failed to start\n");
		goto out;
	}
	randombytes_buf(s.cache_key, sizeof(s.cache_key));
	/* Every open connection's address, and 4096 more (ips.h). */
	if (pool_init(&s.pool, dsn) != 0 ||
	    ips_new((size_t)s.cfg.max_connections + 4096, &s.ips) != 0 ||
	    auth_cache_new(4096, &s.auth_cache) != 0) {
		fprintf(stderr, "cybex serve: out of memory\n");
		goto out;
	}
	/* Signals go to this thread only: block them before threads start. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (jobs_start(&s, &s.jobs) != 0) {
		fprintf(stderr, "cybex serve: cannot start the job thread\n");
		goto out;
	}
	cybex_diag_clear(&d);
	if (events_start(&s, &d) != 0) {
		fprintf(stderr, "cybex serve: events: %s\n", d.message);
		goto out;
	}
	cybex_diag_clear(&d);
	if (srv_start(&s, &d) != 0) {
		fprintf(stderr, "cybex serve: %s\n", d.message);
		goto out;
	}
	snprintf(port, sizeof(port), "%u", srv_port(&s));
	snprintf(pid, sizeof(pid), "%ld", (long)getpid());
	snprintf(url, sizeof(url), "%s://%s/taxii2/", s.tls ? "https" : "http",
	    cfg->listen);
	srv_log(&s, CYBEX_LOG_INFO, "listening", "listen", cfg->listen,
	    "port", port, "tls", s.tls ? "yes" : "no", "db", dsn, "pid", pid,
	    NULL);
	for (;;) {
		if (sigwait(&set, &sig) != 0)
			continue;
		if (sig == SIGHUP) {
			srv_reopen_log(&s);
			srv_log(&s, CYBEX_LOG_INFO, "log-reopened", NULL);
			continue;
		}
		break;
	}
	srv_log(&s, CYBEX_LOG_INFO, "stopping", "signal", strsignal(sig), NULL);
	events_cancel(&s);	/* an index being built is not waited for */
	rc = 0;
 out:
	srv_stop(&s);		/* waits for requests in flight */
	jobs_stop(s.jobs);	/* finishes queued jobs */
	events_stop(&s);	/* writes pending sightings and alerts */
	pool_fini(&s.pool);
	ips_free(s.ips);
	auth_cache_free(s.auth_cache);
	if (rc == 0)
		srv_log(&s, CYBEX_LOG_INFO, "stopped", NULL);
	if (s.access != NULL && s.access != stderr)
		fclose(s.access);
	pthread_mutex_destroy(&s.log_mu);
	return rc;
}

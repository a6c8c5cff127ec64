/*
 * A slow HTTP client for the server-limits test (127.0.0.1 only): opens
 * N connections to PORT and trickles a request on each, one header line
 * (MODE head) or one body byte (MODE body, after complete headers with a
 * large Content-Length) every INTERVAL_MS, for at most DURATION_S
 * seconds or until the server has cut every connection.  Prints "ready"
 * once every connection has sent two trickles or been cut, then at the
 * end one line:
 *   open=K cut=M cut_after_trickle=T
 * where T counts the cut connections that had trickled at least twice
 * (held by the server for a while, then cut, as opposed to refused).
 * $SLOW_AUTH, when set, is sent as the Authorization header.
 * usage: slow_client PORT N head|body INTERVAL_MS DURATION_S
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define CONNS_MAX	2000

static long
ms_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000;
}

static int
say(int fd, const char *s)
{
	return send(fd, s, strlen(s), MSG_NOSIGNAL) == (ssize_t)strlen(s) ?
	    0 : -1;
}

int
main(int argc, char **argv)
{
	static int fd[CONNS_MAX], lines[CONNS_MAX], cut[CONNS_MAX];
	static struct pollfd pf[CONNS_MAX];
	struct sockaddr_in sa;
	char buf[4096];
	long n, interval, end, next;
	int i, port, body, nopen, ncut, after, ready = 0, np;
	const char *auth = getenv("SLOW_AUTH");

	if (argc != 6)
		return 2;
	port = (int)strtol(argv[1], NULL, 10);
	n = strtol(argv[2], NULL, 10);
	body = strcmp(argv[3], "body") == 0;
	interval = strtol(argv[4], NULL, 10);
	end = ms_now() + strtol(argv[5], NULL, 10) * 1000L;
	if (n < 1 || n > CONNS_MAX || interval < 1)
		return 2;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((unsigned short)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	for (i = 0; i < n; i++) {
		if ((fd[i] = socket(AF_INET, SOCK_STREAM, 0)) < 0 ||
		    connect(fd[i], (struct sockaddr *)&sa, sizeof(sa)) != 0) {
			cut[i] = 1;
			continue;
		}
		if (say(fd[i], body ? "POST /api1/collections/x/objects/ "
		    "HTTP/1.1\r\nHost: x\r\n" : "GET /taxii2/ HTTP/1.1\r\n"
		    "Host: x\r\n") != 0 || (auth != NULL && (say(fd[i],
		    "Authorization: ") != 0 || say(fd[i], auth) != 0 ||
		    say(fd[i], "\r\n") != 0)) || (body && say(fd[i],
		    "Content-Length: 100000\r\n\r\n") != 0))
			cut[i] = 1;
	}
	for (;;) {
		/* Wait one interval, noticing every connection the server ends. */
		next = ms_now() + interval;
		while (ms_now() < next) {
			for (np = 0, i = 0; i < n; i++)
				if (!cut[i]) {
					pf[np].fd = fd[i];
					pf[np].events = POLLIN;
					pf[np++].revents = 0;
				}
			if (np == 0 || poll(pf, (nfds_t)np, (int)(next -
			    ms_now())) <= 0)
				break;
			for (np = 0, i = 0; i < n; i++) {
				if (cut[i])
					continue;
				if (pf[np++].revents == 0)
					continue;
				/* A 408 or any answer is read; EOF is a cut. */
				if (read(fd[i], buf, sizeof(buf)) <= 0)
					cut[i] = 1;
			}
		}
		for (nopen = 0, i = 0; i < n; i++) {
			if (cut[i])
				continue;
			if (say(fd[i], body ? "x" : "X-Slow: 1\r\n") != 0)
				cut[i] = 1;
			else {
				lines[i]++;
				nopen++;
			}
		}
		if (!ready) {
			for (i = 0; i < n && (cut[i] || lines[i] >= 2); i++)
				;
			if (i == n) {
				printf("ready\n");
				fflush(stdout);
				ready = 1;
			}
		}
		if (nopen == 0 || ms_now() >= end)
			break;
	}
	for (nopen = ncut = after = 0, i = 0; i < n; i++) {
		if (cut[i]) {
			ncut++;
			after += lines[i] >= 2;
		} else
			nopen++;
		if (fd[i] >= 0)
			close(fd[i]);
	}
	if (!ready)
		printf("ready\n");
	printf("open=%d cut=%d cut_after_trickle=%d\n", nopen, ncut, after);
	return 0;
}

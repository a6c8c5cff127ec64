/*
 * Golden files for the vuln readers: compare text with a .exp/.err file
 * (CYBEX_UPDATE_GOLDEN=1 rewrites it instead), list a directory's cases.
 */
#ifndef CYBEX_TEST_VULN_GOLDEN_H
#define CYBEX_TEST_VULN_GOLDEN_H

#include <stddef.h>

/* malloc'd "$CYBEX_TESTDATA/<rel>". */
char	*golden_path(const char *rel);
/*
 * 0 when got[0..len) equals the file at path (or the file was rewritten
 * under CYBEX_UPDATE_GOLDEN); else prints both and returns -1.
 */
int	 golden_check(const char *path, const char *got, size_t len);
/* The sorted names in dir ending in suffix; *n of them; free with free(). */
char	**golden_list(const char *dir, const char *suffix, size_t *n);
void	 golden_list_free(char **names, size_t n);

#endif

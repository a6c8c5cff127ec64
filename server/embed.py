#!/usr/bin/env python3
# embed.py IN OUT NAME: write OUT, a C file defining
#   const char NAME[] (the bytes of IN and a NUL) and const size_t NAME_len.
# The server embeds docs/api/openapi.json with it at build time.
import sys

src, dst, name = sys.argv[1:4]
data = open(src, 'rb').read()
with open(dst, 'w') as f:
    f.write('/* Generated from %s by server/embed.py: do not edit. */\n'
            % src.split('/')[-1])
    f.write('#include <stddef.h>\n\n')
    f.write('extern const char %s[];\nextern const size_t %s_len;\n' % (name, name))
    f.write('const char %s[] = {\n' % name)
    for i in range(0, len(data), 12):
        f.write('\t' + ', '.join('0x%02x' % b for b in data[i:i + 12]) + ',\n')
    f.write('\t0x00\n};\n')
    f.write('const size_t %s_len = %d;\n' % (name, len(data)))

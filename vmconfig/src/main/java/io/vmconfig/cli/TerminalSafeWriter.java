package io.vmconfig.cli;

import java.io.FilterWriter;
import java.io.IOException;
import java.io.Writer;

/**
 * The last line of defence for what the commands print: text from a repository, a cluster or an input file may hold
 * terminal escape sequences (ESC, CSI, OSC…) or a right-to-left override that would repaint or disguise the output.
 * Every control character except newline and tab is written as a visible {@code \\uXXXX} escape. Values that could
 * fake a line of their own are escaped field by field with {@link io.vmconfig.core.json.Printable} as well.
 */
final class TerminalSafeWriter extends FilterWriter {
    TerminalSafeWriter(Writer out) {
        super(out);
    }

    static boolean unsafe(int c) {
        return c != '\n'
                && c != '\t'
                && (Character.isISOControl(c)
                        || c == '\u202e'
                        || c == '\u202d'
                        || c == '\u2066'
                        || c == '\u2067'
                        || c == '\u2068');
    }

    @Override
    public void write(int c) throws IOException {
        if (unsafe(c)) {
            out.write(String.format("\\u%04x", c));
        } else {
            out.write(c);
        }
    }

    @Override
    public void write(char[] cbuf, int off, int len) throws IOException {
        int start = off;
        for (int i = off; i < off + len; i++) {
            if (unsafe(cbuf[i])) {
                out.write(cbuf, start, i - start);
                write(cbuf[i]);
                start = i + 1;
            }
        }
        out.write(cbuf, start, off + len - start);
    }

    @Override
    public void write(String str, int off, int len) throws IOException {
        write(str.toCharArray(), off, len);
    }
}

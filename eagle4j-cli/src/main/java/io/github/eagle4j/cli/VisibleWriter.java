package io.github.eagle4j.cli;

import io.github.eagle4j.VisibleText;

import java.io.IOException;
import java.io.Writer;

/**
 * The terminal side of {@link VisibleText}: everything the CLI prints passes through here, so an escape sequence or a
 * bidirectional override inside an item id, a file name or a model's answer is shown as {@code \}{@code uXXXX}
 * instead of acting on the terminal. Tab, line feed and carriage return (the progress line) pass.
 */
final class VisibleWriter extends Writer {
    private final Writer out;

    VisibleWriter(Writer out) {
        this.out = out;
    }

    @Override
    public void write(char[] buf, int off, int len) throws IOException {
        out.write(VisibleText.keepingLines(new String(buf, off, len)));
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}

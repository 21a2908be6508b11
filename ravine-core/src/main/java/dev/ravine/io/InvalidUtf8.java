package dev.ravine.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where a file stops being UTF-8 text: the line (1-based) and the offending byte. A reader's decoder reports only
 * "Input length = 1"; this scans the file again, on that error path only, to say where and what.
 */
public record InvalidUtf8(long line, long byteOffset, int firstByte) {
    /** The first byte sequence in {@code file} that is not UTF-8, or null when the whole file decodes. */
    public static InvalidUtf8 locate(Path file) throws IOException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.allocate(1 << 16);
        CharBuffer out = CharBuffer.allocate(1 << 16);
        long consumed = 0;
        long line = 1;
        try (InputStream stream = Files.newInputStream(file)) {
            boolean end = false;
            while (!end) {
                int r = stream.read(in.array(), in.position(), in.remaining());
                if (r < 0) end = true;
                else in.position(in.position() + r);
                in.flip();
                while (true) {
                    int before = in.position();
                    CoderResult result = decoder.decode(in, out, end);
                    line += newlines(in, before, in.position());
                    consumed += in.position() - before;
                    out.clear();
                    if (result.isError()) return new InvalidUtf8(line, consumed, in.get(in.position()) & 0xFF);
                    if (result.isUnderflow()) break;
                }
                in.compact();
            }
        }
        return null;
    }

    private static long newlines(ByteBuffer bytes, int from, int to) {
        long n = 0;
        for (int i = from; i < to; i++) if (bytes.get(i) == '\n') n++;
        return n;
    }

    /** "line 3 (byte 0xE9 at offset 41)", for a message that already names the file. */
    public String describe() {
        return "line " + line + " (byte 0x" + String.format(Locale.ROOT, "%02X", firstByte) + " at offset " + byteOffset + ")";
    }
}

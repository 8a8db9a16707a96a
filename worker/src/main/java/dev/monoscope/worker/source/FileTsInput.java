package dev.monoscope.worker.source;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A local MPEG-TS file, seekable (FFmpeg reads its end to learn the duration). */
final class FileTsInput extends TsInput {

    private final FileChannel channel;

    FileTsInput(Path path) throws IOException {
        channel = FileChannel.open(path, StandardOpenOption.READ);
    }

    @Override
    public int read(byte[] b, int off, int len, int waitMillis) throws IOException {
        return channel.read(ByteBuffer.wrap(b, off, len));
    }

    @Override
    public boolean seekable() {
        return true;
    }

    @Override
    public long seek(long offset) throws IOException {
        channel.position(offset);
        return offset;
    }

    @Override
    public long size() {
        try {
            return channel.size();
        } catch (IOException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing to do: the file was only read
        }
    }
}

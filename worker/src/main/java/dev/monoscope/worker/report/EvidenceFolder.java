package dev.monoscope.worker.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The folder the evidence of defects goes to: names the files ({@code 0007-black-12.040.jpg}, {@code .ts},
 * {@code .mp4}), keeps the folder under its size cap by removing the oldest of them first, and finds a file by a name
 * a client sent, accepting only names of that form (no path, no traversal). Other files in the folder are left alone.
 */
public final class EvidenceFolder {

    private static final Pattern NAME =
            Pattern.compile("[0-9]{4,19}-[a-z0-9_]{1,32}-[0-9]{1,12}\\.[0-9]{3}\\.(jpg|ts|mp4)");

    private final Path dir;
    private final long maxBytes;

    public EvidenceFolder(Path dir, long maxBytes) {
        this.dir = dir;
        this.maxBytes = maxBytes;
    }

    /** The file name, without extension, of the evidence of a defect. */
    public static String baseName(long id, String type, double start) {
        return String.format(Locale.ROOT, "%04d-%s-%.3f", id, type, Math.max(0, start));
    }

    public Path dir() {
        return dir;
    }

    /** Where the file {@code name} of this folder is, when the name is one of an evidence file and it exists. */
    public Optional<Path> find(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        Path file = dir.resolve(name);
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    /** Removes the oldest evidence files until the folder's evidence fits the cap. */
    public void keepUnderCap() {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> list = Files.list(dir)) {
            list.filter(f -> NAME.matcher(f.getFileName().toString()).matches()).forEach(files::add);
        } catch (IOException e) {
            return;
        }
        files.sort(Comparator.comparing(EvidenceFolder::modified).thenComparing(Path::getFileName));
        long total = files.stream().mapToLong(EvidenceFolder::size).sum();
        for (Path f : files) {
            if (total <= maxBytes) {
                break;
            }
            long size = size(f);
            try {
                Files.deleteIfExists(f);
                total -= size;
            } catch (IOException e) {
                System.err.println("monoscope: cannot remove old evidence " + f.getFileName() + ": " + e.getMessage());
            }
        }
    }

    private static long size(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            return 0;
        }
    }

    private static long modified(Path f) {
        try {
            return Files.getLastModifiedTime(f).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }
}

package org.graft.update.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import org.graft.update.dto.UpdateReportDTO;

/**
 * The record of every update, one JSON file each ({@code update-000042.json}) in the update
 * manager's data area. A file is rewritten after every step, through a temporary file and an atomic
 * move, so a crash leaves either the previous or the next version of it, never half of one.
 */
final class Journal {
    private static final String PREFIX = "update-";
    private static final String SUFFIX = ".json";

    private final Path directory;
    private final ObjectMapper mapper = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    Journal(Path directory) throws IOException {
        this.directory = Files.createDirectories(directory);
    }

    Path directory() {
        return directory;
    }

    /** @throws UncheckedIOException if the record cannot be written; the caller decides what that means */
    synchronized void write(UpdateReportDTO report) {
        Path target = directory.resolve(String.format("%s%06d%s", PREFIX, report.id, SUFFIX));
        Path temporary = directory.resolve(target.getFileName() + ".tmp");
        try {
            mapper.writeValue(temporary.toFile(), report);
            try {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the journal record " + target, e);
        }
    }

    /** Every record, oldest first. A record that cannot be read is reported, not skipped silently. */
    synchronized List<UpdateReportDTO> readAll() throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, PREFIX + "*" + SUFFIX)) {
            stream.forEach(files::add);
        }
        files.sort(Comparator.comparing(Path::getFileName));
        List<UpdateReportDTO> reports = new ArrayList<>();
        for (Path file : files) {
            try {
                reports.add(mapper.readValue(file.toFile(), UpdateReportDTO.class));
            } catch (IOException e) {
                throw new IOException("the journal record " + file + " cannot be read: " + e.getMessage(), e);
            }
        }
        return reports;
    }
}

package org.graft.update.internal.journal;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
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

import org.graft.container.internal.log.Logs;
import org.graft.update.dto.BundlePlanDTO;
import org.graft.update.dto.ServicePlanDTO;
import org.graft.update.dto.StateEntryDTO;
import org.graft.update.dto.StepDTO;
import org.graft.update.dto.UpdateOptionsDTO;
import org.graft.update.dto.UpdatePlanDTO;
import org.graft.update.dto.UpdateReportDTO;

/**
 * The record of every update, one JSON file each ({@code update-000042.json}) in the update
 * manager's data area. A file is rewritten after every step, through a temporary file and an atomic
 * move, so a crash leaves either the previous or the next version of it, never half of one. Old
 * records are deleted as the history drops them ({@link #delete}, {@link #readNewest}); a record whose
 * update is still in progress is never deleted: recovery at start needs it.
 */
public final class Journal {
    private static final String PREFIX = "update-";
    private static final String SUFFIX = ".json";
    private static final String UNREADABLE = ".unreadable";

    private final Path directory;
    private final ObjectMapper mapper = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    public Journal(Path directory) throws IOException {
        this.directory = Files.createDirectories(directory);
        OwnerOnly.restrict(this.directory);
        // The mapper's first use loads and introspects every DTO class: done here, at start, rather than
        // in the first update's first write, where a busy machine made it cost seconds.
        mapper.writeValue(OutputStream.nullOutputStream(), sample());
    }

    private static UpdateReportDTO sample() {
        UpdateReportDTO report = new UpdateReportDTO();
        report.options = new UpdateOptionsDTO();
        report.plan = new UpdatePlanDTO();
        report.plan.bundles.add(new BundlePlanDTO());
        ServicePlanDTO service = new ServicePlanDTO();
        service.state.add(new StateEntryDTO());
        report.plan.services.add(service);
        report.steps.add(new StepDTO());
        return report;
    }

    public Path directory() {
        return directory;
    }

    /** @throws UncheckedIOException if the record cannot be written; the caller decides what that means */
    public synchronized void write(UpdateReportDTO report) {
        Path target = fileOf(report.id);
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
    public synchronized List<UpdateReportDTO> readAll() throws IOException {
        List<UpdateReportDTO> reports = new ArrayList<>();
        for (Path file : files()) {
            reports.add(read(file));
        }
        return reports;
    }

    /**
     * The newest {@code max} records, oldest first, and any older one still in progress (recovery
     * resolves it). The other older records (left by a larger bound, or by a version of Graft that
     * kept every record) are deleted. A record that cannot be read (a disk that failed, a file someone
     * edited) is renamed {@code update-NNNNNN.json.unreadable}, logged, and left out: the update
     * manager starts with the others rather than not at all.
     */
    public synchronized List<UpdateReportDTO> readNewest(int max) throws IOException {
        List<Path> files = files();
        int firstKept = Math.max(0, files.size() - max);
        List<UpdateReportDTO> reports = new ArrayList<>();
        for (Path file : files.subList(0, firstKept)) {
            UpdateReportDTO report = readOrSetAside(file);
            if (report != null && UpdateReportDTO.IN_PROGRESS.equals(report.outcome)) {
                reports.add(report);
            } else if (report != null) {
                delete(file);
            }
        }
        for (Path file : files.subList(firstKept, files.size())) {
            UpdateReportDTO report = readOrSetAside(file);
            if (report != null) {
                reports.add(report);
            }
        }
        return reports;
    }

    /** The record in {@code file}, or null if it cannot be read: then the file is set aside, and logged. */
    private UpdateReportDTO readOrSetAside(Path file) throws IOException {
        try {
            return read(file);
        } catch (IOException unreadable) {
            Path aside = file.resolveSibling(file.getFileName() + UNREADABLE);
            Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
            Logs.get("org.graft.update.journal").log(Level.WARNING, unreadable.getMessage() + ". It was renamed " + aside
                    + " and left out of the history; the other records are used. If an update was running when it was"
                    + " written, recovery cannot finish it: check bundle:list for two versions of one bundle.", unreadable);
            return null;
        }
    }

    /** Deletes the record of update {@code id}; a failure is logged, not thrown: no update depends on it. */
    public synchronized void delete(long id) {
        delete(fileOf(id));
    }

    private void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            Logs.get("org.graft.update.journal").log(Level.WARNING, "Graft could not delete the old journal record " + file
                    + ", which the history no longer keeps: " + e + ". It stays on disk; the next start tries again.", e);
        }
    }

    private Path fileOf(long id) {
        return directory.resolve(String.format("%s%06d%s", PREFIX, id, SUFFIX));
    }

    /** Oldest first, by id: names alone would sort update-1000000 before update-999999. */
    private List<Path> files() throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, PREFIX + "*" + SUFFIX)) {
            stream.forEach(files::add);
        }
        files.sort(Comparator.comparingLong(Journal::idOf).thenComparing(Path::getFileName));
        return files;
    }

    /** The id in a record's name; -1 for a name without one (reading it then reports the file). */
    private static long idOf(Path file) {
        String name = file.getFileName().toString();
        try {
            return Long.parseLong(name.substring(PREFIX.length(), name.length() - SUFFIX.length()));
        } catch (NumberFormatException e) {
            return -1L;
        }
    }

    private UpdateReportDTO read(Path file) throws IOException {
        try {
            return mapper.readValue(file.toFile(), UpdateReportDTO.class);
        } catch (IOException e) {
            throw new IOException("the journal record " + file + " cannot be read: " + e.getMessage(), e);
        }
    }
}

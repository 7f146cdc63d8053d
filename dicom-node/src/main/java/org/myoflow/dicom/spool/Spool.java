package org.myoflow.dicom.spool;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.DicomOutputStream;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import org.myoflow.dicom.Attrs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The durable spool of received instances: {@code spool/<study>/<series>/<sop>.dcm}. Each instance is streamed into
 * {@code spool/.incoming/<n>.part}, fsynced, checked, renamed into place and its directory fsynced before the caller
 * may answer Success; nothing downstream ever sees a half-written file. Refused input goes to {@code quarantine/}
 * with a reason file; a second copy of a SOP Instance UID is recorded in {@code spool/duplicates.log} and dropped.
 */
public final class Spool {
    private static final Logger log = LoggerFactory.getLogger(Spool.class);
    private static final Pattern UID = Pattern.compile("[0-9]+(\\.[0-9]+)*");
    private static final int BUFFER = 256 * 1024;
    private static final com.pixelmed.dicom.AttributeTag IMAGES_IN_ACQUISITION =
            new com.pixelmed.dicom.AttributeTag(0x0020, 0x1002);

    private final Path spoolDir;
    private final Path incoming;
    private final Path quarantine;
    private final Map<String, Path> bySopInstance = new ConcurrentHashMap<>();
    private final AtomicLong partCounter = new AtomicLong();

    /** Opens (creating when needed) the spool under {@code root}; leftovers of a crash are quarantined. */
    public Spool(Path root) throws IOException {
        this.spoolDir = root.resolve("spool");
        this.incoming = spoolDir.resolve(".incoming");
        this.quarantine = root.resolve("quarantine");
        Files.createDirectories(incoming);
        Files.createDirectories(quarantine);
        try (DirectoryStream<Path> parts = Files.newDirectoryStream(incoming)) {
            for (Path part : parts) {
                quarantine(part, "incomplete receipt found at startup: the node stopped during the transfer, "
                        + "so it was never acknowledged", null, null);
            }
        }
    }

    public Path directory() {
        return spoolDir;
    }

    public Path quarantineDirectory() {
        return quarantine;
    }

    /** Number of distinct instances spooled. */
    public int size() {
        return bySopInstance.size();
    }

    /**
     * Reads every spooled instance's header (not its pixels) and indexes its SOP Instance UID; called once at
     * startup, before the SCP accepts associations.
     */
    public List<SpooledInstance> scan() throws IOException {
        List<SpooledInstance> found = new ArrayList<>();
        try (Stream<Path> files = Files.find(spoolDir, 3, (p, a) -> a.isRegularFile()
                && p.getFileName().toString().endsWith(".dcm") && !p.startsWith(incoming))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                try {
                    AttributeList l = new AttributeList();
                    try (DicomInputStream in = new DicomInputStream(f.toFile())) {
                        l.read(in, TagFromName.PixelData);
                    }
                    SpooledInstance i = describe(f, l, Files.size(f));
                    bySopInstance.putIfAbsent(i.sopInstanceUid(), f);
                    found.add(i);
                } catch (DicomException | IOException | InstanceRefusedException e) {
                    // It was checked before it was acknowledged, so this is disk damage or a hand-placed file.
                    log.error("event=spool_unreadable file={} reason=\"{}\"", f, e.getMessage());
                }
            }
        }
        return found;
    }

    /** Starts receiving one instance; the caller streams the data set into the receipt, then finishes it. */
    public Receipt begin(String sopClassUid, String sopInstanceUid, String transferSyntaxUid, String callingAe,
                         String association) throws IOException {
        Path part = incoming.resolve(partCounter.incrementAndGet() + "-" + System.nanoTime() + ".part");
        return new Receipt(part, sopClassUid, sopInstanceUid, transferSyntaxUid, callingAe, association);
    }

    /** One instance being received. Not thread-safe: an association receives one instance at a time. */
    public final class Receipt implements AutoCloseable {
        private final Path part;
        private final FileOutputStream file;
        private final OutputStream out;
        private final String sopClassUid;
        private final String sopInstanceUid;
        private final String transferSyntaxUid;
        private final String callingAe;
        private final String association;
        private long bytes;
        private boolean done;

        private Receipt(Path part, String sopClassUid, String sopInstanceUid, String transferSyntaxUid,
                        String callingAe, String association) throws IOException {
            this.part = part;
            this.sopClassUid = sopClassUid;
            this.sopInstanceUid = sopInstanceUid;
            this.transferSyntaxUid = transferSyntaxUid;
            this.callingAe = callingAe;
            this.association = association;
            this.file = new FileOutputStream(part.toFile());
            this.out = new BufferedOutputStream(file, BUFFER);
            out.write(metaHeader(sopClassUid, sopInstanceUid, transferSyntaxUid, callingAe));
        }

        /** Appends data set bytes exactly as received (the file's data set is in the negotiated syntax). */
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            bytes += len;
        }

        public long bytes() {
            return bytes;
        }

        /** Makes the instance durable and decides what it is; after this the caller may answer the sender. */
        public StoreOutcome finish() throws IOException {
            done = true;
            out.flush();
            file.getChannel().force(true);
            file.close();
            AttributeList l = new AttributeList();
            SpooledInstance described;
            try {
                l.read(part.toFile());
                check(l);
                described = describe(part, l, Files.size(part));
            } catch (InstanceRefusedException e) {
                return refuse(e.getMessage(), e.status());
            } catch (DicomException | IOException | RuntimeException e) {
                return refuse("unreadable data set (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")",
                        InstanceRefusedException.CANNOT_UNDERSTAND);
            }
            Path target = spoolDir.resolve(described.studyUid()).resolve(described.seriesUid())
                    .resolve(described.sopInstanceUid() + ".dcm");
            Path existing = bySopInstance.putIfAbsent(sopInstanceUid, target);
            if (existing != null) {
                Files.delete(part);
                recordDuplicate(existing);
                return new StoreOutcome.Duplicate(sopInstanceUid, existing);
            }
            try {
                createDirectoriesDurably(target.getParent());
                move(part, target);
                fsyncDirectory(target.getParent());
            } catch (IOException e) {
                bySopInstance.remove(sopInstanceUid, target);
                throw e;
            }
            return new StoreOutcome.Stored(new SpooledInstance(target, described.studyUid(), described.seriesUid(),
                    described.sopInstanceUid(), described.sopClassUid(), described.modality(),
                    described.seriesNumber(), described.seriesDescription(), described.patientId(),
                    described.patientName(), described.accessionNumber(), described.frames(),
                    described.seriesRelatedInstances(), described.volumetric(), described.bytes()));
        }

        /** The transfer broke off (abort, garbage, node stopping): keep what came, with the reason. */
        public Path abandon(String reason) throws IOException {
            if (done) {
                return null;
            }
            done = true;
            try {
                out.flush();
                file.getChannel().force(true);
            } finally {
                file.close();
            }
            return quarantine(part, reason + " after " + bytes + " data set bytes; never acknowledged", this, null);
        }

        @Override
        public void close() throws IOException {
            if (!done) {
                abandon("receipt closed unfinished");
            }
        }

        private void check(AttributeList l) throws InstanceRefusedException {
            String sop = Attrs.string(l, TagFromName.SOPInstanceUID);
            String cls = Attrs.string(l, TagFromName.SOPClassUID);
            if (!sopInstanceUid.equals(sop)) {
                throw new InstanceRefusedException(InstanceRefusedException.DATASET_MISMATCH,
                        "SOP Instance UID in the data set (" + sop + ") differs from the C-STORE request ("
                                + sopInstanceUid + ")");
            }
            if (!sopClassUid.equals(cls)) {
                throw new InstanceRefusedException(InstanceRefusedException.DATASET_MISMATCH,
                        "SOP Class UID in the data set (" + cls + ") differs from the C-STORE request ("
                                + sopClassUid + ")");
            }
            if (l.get(TagFromName.PixelData) == null && cls.startsWith("1.2.840.10008.5.1.4.1.1.")
                    && !isNonImage(cls)) {
                throw new InstanceRefusedException(InstanceRefusedException.DATASET_MISMATCH,
                        "image SOP class " + cls + " without Pixel Data");
            }
        }

        private StoreOutcome refuse(String reason, int status) throws IOException {
            Path where = quarantine(part, reason, this, null);
            return new StoreOutcome.Quarantined(reason, status, where);
        }
    }

    /** Structured reports, SEG, presentation states etc. carry no Pixel Data element. */
    private static boolean isNonImage(String sopClass) {
        return sopClass.startsWith("1.2.840.10008.5.1.4.1.1.88.") || sopClass.equals("1.2.840.10008.5.1.4.1.1.66.4")
                || sopClass.startsWith("1.2.840.10008.5.1.4.1.1.11.") || sopClass.equals("1.2.840.10008.5.1.4.1.1.104.1");
    }

    static SpooledInstance describe(Path file, AttributeList l, long bytes) throws InstanceRefusedException {
        String study = uid(l, TagFromName.StudyInstanceUID, "Study Instance UID");
        String series = uid(l, TagFromName.SeriesInstanceUID, "Series Instance UID");
        String sop = uid(l, TagFromName.SOPInstanceUID, "SOP Instance UID");
        String cls = uid(l, TagFromName.SOPClassUID, "SOP Class UID");
        int frames = Attrs.integer(l, TagFromName.NumberOfFrames, 1);
        int related = Attrs.integer(l, TagFromName.NumberOfSeriesRelatedInstances,
                Attrs.integer(l, IMAGES_IN_ACQUISITION, 0));
        String imageType = String.join("\\", Attrs.strings(l, TagFromName.ImageType));
        boolean enhanced = frames > 1 && l.get(TagFromName.PerFrameFunctionalGroupsSequence) != null;
        boolean reconTomo = frames > 1 && cls.equals("1.2.840.10008.5.1.4.1.1.20") && imageType.contains("RECON TOMO");
        return new SpooledInstance(file, study, series, sop, cls, Attrs.string(l, TagFromName.Modality),
                Attrs.integer(l, TagFromName.SeriesNumber, 0), Attrs.string(l, TagFromName.SeriesDescription),
                Attrs.string(l, TagFromName.PatientID), Attrs.string(l, TagFromName.PatientName),
                Attrs.string(l, TagFromName.AccessionNumber), frames, related, enhanced || reconTomo, bytes);
    }

    private static String uid(AttributeList l, com.pixelmed.dicom.AttributeTag tag, String name)
            throws InstanceRefusedException {
        String v = Attrs.string(l, tag);
        if (v.isEmpty() || v.length() > 64 || !UID.matcher(v).matches()) {
            throw new InstanceRefusedException(InstanceRefusedException.DATASET_MISMATCH,
                    (v.isEmpty() ? "missing " + name : "invalid " + name + " '" + v + "'"));
        }
        return v;
    }

    private static byte[] metaHeader(String sopClass, String sopInstance, String ts, String callingAe)
            throws IOException {
        try {
            AttributeList meta = new FileMetaInformation(sopClass, sopInstance, ts, callingAe).getAttributeList();
            ByteArrayOutputStream b = new ByteArrayOutputStream(512);
            DicomOutputStream dos = new DicomOutputStream(b, TransferSyntax.ExplicitVRLittleEndian, null);
            meta.write(dos);
            dos.flush();
            return b.toByteArray();
        } catch (DicomException e) {
            throw new IOException("cannot build file meta information for " + sopInstance + ": " + e.getMessage(), e);
        }
    }

    private Path quarantine(Path part, String reason, Receipt r, String extra) throws IOException {
        String base = Instant.now().toString().replace(':', '-') + "-"
                + (r != null && UID.matcher(r.sopInstanceUid).matches() ? r.sopInstanceUid
                : part.getFileName().toString().replace(".part", ""));
        Path target = quarantine.resolve(base + ".dcm");
        move(part, target);
        StringBuilder why = new StringBuilder("reason: ").append(reason).append('\n');
        if (r != null) {
            why.append("sopInstanceUid: ").append(r.sopInstanceUid).append('\n')
                    .append("sopClassUid: ").append(r.sopClassUid).append('\n')
                    .append("transferSyntaxUid: ").append(r.transferSyntaxUid).append('\n')
                    .append("callingAeTitle: ").append(r.callingAe).append('\n')
                    .append("association: ").append(r.association).append('\n');
        }
        if (extra != null) {
            why.append(extra).append('\n');
        }
        why.append("quarantinedAt: ").append(Instant.now()).append('\n');
        writeDurably(quarantine.resolve(base + ".reason.txt"), why.toString().getBytes(StandardCharsets.UTF_8));
        fsyncDirectory(quarantine);
        log.warn("event=quarantined sop={} file={} reason=\"{}\"", r == null ? "-" : r.sopInstanceUid, target, reason);
        return target;
    }

    private void recordDuplicate(Path existing) throws IOException {
        String line = Instant.now() + " duplicate of " + existing.getFileName() + " kept at " + existing + "\n";
        synchronized (this) {
            try (FileChannel c = FileChannel.open(spoolDir.resolve("duplicates.log"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                c.write(java.nio.ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
            }
        }
        log.info("event=duplicate file={}", existing);
    }

    /** Writes a small file atomically and durably (temp, fsync, rename, fsync directory). */
    public static void writeDurably(Path target, byte[] content) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            c.write(java.nio.ByteBuffer.wrap(content));
            c.force(true);
        }
        move(tmp, target);
        fsyncDirectory(target.getParent());
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void createDirectoriesDurably(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        createDirectoriesDurably(dir.getParent());
        try {
            Files.createDirectory(dir);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            return; // another association created it at the same moment
        }
        fsyncDirectory(dir.getParent());
    }

    public static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel c = FileChannel.open(dir, StandardOpenOption.READ)) {
            c.force(true);
        }
    }
}

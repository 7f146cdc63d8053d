package org.myoflow.dicom.results;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import org.myoflow.model.io.Nifti;
import org.myoflow.model.volume.BinaryMask;
import org.myoflow.model.volume.Volume;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Segmentations that come back: a SEG received for a study Myoflow segmented is decoded onto the grid of the series
 * it references and kept as a reviewed label ({@code studies/<study>/labels/<SEG SOP Instance UID>.nii.gz}) for
 * retraining. Our own SEGs echoed back are recognised and not taken for reviews.
 */
public final class ReviewedLabels {
    private static final AttributeTag REFERENCED_SERIES = new AttributeTag(0x0008, 0x1115);

    private final Path storageRoot;

    public ReviewedLabels(Path storageRoot) {
        this.storageRoot = storageRoot;
    }

    /** What was stored. */
    public record Stored(String labelPath, String referencedSeriesUid, String creator, long voxels, double volumeMl) {
    }

    /** Why a received SEG is not a reviewed label. */
    public static final class NotALabelException extends Exception {
        public NotALabelException(String message) {
            super(message);
        }
    }

    public Stored store(String study, Path segFile) throws NotALabelException, IOException {
        AttributeList seg = new AttributeList();
        try {
            seg.read(segFile.toFile());
        } catch (DicomException e) {
            throw new NotALabelException("unreadable SEG: " + e.getMessage());
        }
        String sop = Attribute.getSingleStringValueOrEmptyString(seg, TagFromName.SOPInstanceUID);
        String manufacturer = Attribute.getSingleStringValueOrEmptyString(seg, TagFromName.Manufacturer);
        String creator = Attribute.getSingleStringValueOrEmptyString(seg, new AttributeTag(0x0070, 0x0084));
        if ("Myoflow".equals(manufacturer) && creator.startsWith("Myoflow")) {
            throw new NotALabelException("Myoflow's own SEG sent back unchanged in origin: not a review");
        }
        Path studyDir = storageRoot.resolve("studies").resolve(study);
        if (!segmentedByMyoflow(studyDir)) {
            throw new NotALabelException("a SEG for a study Myoflow has not segmented: kept in the spool only");
        }
        SequenceAttribute refs = seg.get(REFERENCED_SERIES) instanceof SequenceAttribute s ? s : null;
        if (refs == null || refs.getNumberOfItems() == 0) {
            throw new NotALabelException("the SEG references no series (Referenced Series Sequence)");
        }
        String series = Attribute.getSingleStringValueOrEmptyString(refs.getItem(0).getAttributeList(),
                TagFromName.SeriesInstanceUID);
        Path volume = latestVolume(studyDir, series).orElseThrow(() -> new NotALabelException(
                "the SEG references series " + series + ", of which Myoflow has no volume"));
        Volume source = Nifti.readVolume(volume);
        BinaryMask label;
        try {
            // the myocardium segment(s) when the SEG says which (ours put the cavity beside it), else everything
            java.util.List<Integer> myocardium = SegmentationReader.segmentsOfType(seg, "74281007");
            label = BinaryMask.empty(source.grid());
            for (int n : myocardium.isEmpty() ? java.util.List.of(0) : myocardium) {
                BinaryMask part = SegmentationReader.read(seg, source.grid(), n);
                for (int i = 0; i < part.data().length; i++) {
                    label.data()[i] |= part.data()[i];
                }
            }
        } catch (IllegalArgumentException e) {
            throw new NotALabelException("the SEG does not lie on the referenced series' grid: " + e.getMessage());
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause(); // our storage, not the SEG: the study's conversion is retried
        } catch (RuntimeException e) {
            // whatever else a malformed SEG makes the reader trip on (no Pixel Data, fewer bits than frames, an
            // attribute of the wrong kind) is the SEG's, and will not change: retrying would hold up its study for ever
            throw new NotALabelException("a SEG Myoflow cannot read (" + e + ")");
        }
        Path out = studyDir.resolve("labels").resolve(sop + ".nii.gz");
        Files.createDirectories(out.getParent());
        Nifti.write(out, label);
        return new Stored(storageRoot.relativize(out).toString(), series, creator.isEmpty() ? manufacturer : creator,
                label.count(), label.volumeMl());
    }

    private static boolean segmentedByMyoflow(Path studyDir) throws IOException {
        if (!Files.isDirectory(studyDir)) {
            return false;
        }
        try (Stream<Path> s = Files.find(studyDir, 3, (p, a) -> p.getFileName().toString().equals("completed.json")
                && p.getParent().getFileName().toString().startsWith("myoflow-"))) {
            return s.findAny().isPresent();
        }
    }

    private static Optional<Path> latestVolume(Path studyDir, String series) throws IOException {
        try (Stream<Path> s = Files.list(studyDir)) {
            return s.filter(d -> d.getFileName().toString().matches("r\\d+"))
                    .sorted(Comparator.comparingInt((Path d) -> Integer.parseInt(d.getFileName().toString()
                            .substring(1))).reversed())
                    .map(d -> d.resolve(series + ".nii.gz")).filter(Files::exists).findFirst();
        }
    }
}

package org.myoflow.model.dataset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.myoflow.model.io.Nifti;
import org.myoflow.model.io.NiftiDataType;
import org.myoflow.model.volume.BinaryMask;
import org.myoflow.model.volume.Volume;

/** The MPI-SPECT layout: {@code NIfTI/<id>.nii.gz} with its myocardium mask {@code NIfTI/<id>_mask.nii.gz}. */
public final class MpiSpectDataset {
    public static final String FOLDER = "NIfTI";
    private static final String MASK_SUFFIX = "_mask";

    private MpiSpectDataset() {
    }

    public static boolean looksLike(Path root) {
        return Files.isDirectory(root.resolve(FOLDER));
    }

    /** All cases, sorted by id. Every image needs a mask and every mask an image. */
    public static List<LabelledCase> open(Path root) throws IOException {
        Path dir = root.resolve(FOLDER);
        if (!Files.isDirectory(dir)) {
            throw new DatasetFormatException(root + ": no " + FOLDER + "/ folder (MPI-SPECT layout expected)");
        }
        Set<String> images = new TreeSet<>();
        Set<String> masks = new TreeSet<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                String stem = stem(name);
                if (stem == null || name.startsWith(".")) {
                    continue;
                }
                if (stem.endsWith(MASK_SUFFIX)) {
                    masks.add(stem.substring(0, stem.length() - MASK_SUFFIX.length()));
                } else {
                    images.add(stem);
                }
            }
        }
        List<String> problems = new ArrayList<>();
        for (String id : images) {
            if (!masks.contains(id)) {
                problems.add("image " + FOLDER + "/" + id + ".nii.gz has no mask " + FOLDER + "/" + id + "_mask.nii.gz");
            }
        }
        for (String id : masks) {
            if (!images.contains(id)) {
                problems.add("mask " + FOLDER + "/" + id + "_mask.nii.gz has no image " + FOLDER + "/" + id + ".nii.gz");
            }
        }
        if (!problems.isEmpty()) {
            throw new DatasetFormatException(root + ": " + String.join("; ", problems));
        }
        if (images.isEmpty()) {
            throw new DatasetFormatException(root + ": " + FOLDER + "/ holds no .nii or .nii.gz images");
        }
        List<LabelledCase> cases = new ArrayList<>();
        for (String id : images) {
            cases.add(new LabelledCase(id, find(dir, id), find(dir, id + MASK_SUFFIX)));
        }
        return cases;
    }

    /** Writes one case (image float32, mask uint8), creating the layout as needed. */
    public static LabelledCase write(Path root, String id, Volume image, BinaryMask mask) throws IOException {
        Path dir = Files.createDirectories(root.resolve(FOLDER));
        Path img = dir.resolve(id + ".nii.gz");
        Path lab = dir.resolve(id + MASK_SUFFIX + ".nii.gz");
        Nifti.write(img, image, NiftiDataType.FLOAT32);
        Nifti.write(lab, mask);
        return new LabelledCase(id, img, lab);
    }

    private static Path find(Path dir, String stem) {
        Path gz = dir.resolve(stem + ".nii.gz");
        return Files.exists(gz) ? gz : dir.resolve(stem + ".nii");
    }

    static String stem(String name) {
        if (name.endsWith(".nii.gz")) {
            return name.substring(0, name.length() - 7);
        }
        if (name.endsWith(".nii")) {
            return name.substring(0, name.length() - 4);
        }
        return null;
    }
}

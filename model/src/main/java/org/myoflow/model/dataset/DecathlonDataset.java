package org.myoflow.model.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The Medical Segmentation Decathlon layout: {@code imagesTr/}, {@code labelsTr/} and {@code dataset.json} whose
 * {@code training} list pairs them (e.g. Task02_Heart, the left atrium in MRI). Without a {@code dataset.json}, images
 * and labels are paired by file name. macOS {@code ._} side files, which the Decathlon archives contain, are ignored.
 */
public final class DecathlonDataset {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DecathlonDataset() {
    }

    public static boolean looksLike(Path root) {
        return Files.isDirectory(root.resolve("imagesTr"));
    }

    public static List<LabelledCase> open(Path root) throws IOException {
        if (!Files.isDirectory(root.resolve("imagesTr"))) {
            throw new DatasetFormatException(root + ": no imagesTr/ folder (Decathlon layout expected)");
        }
        if (!Files.isDirectory(root.resolve("labelsTr"))) {
            throw new DatasetFormatException(root + ": imagesTr/ has no sibling labelsTr/ folder");
        }
        Path json = root.resolve("dataset.json");
        return Files.exists(json) ? fromJson(root, json) : byName(root);
    }

    private static List<LabelledCase> fromJson(Path root, Path json) throws IOException {
        JsonNode training;
        try {
            training = JSON.readTree(json.toFile()).get("training");
        } catch (IOException e) {
            throw new DatasetFormatException(json + ": not valid JSON (" + e.getMessage() + ")");
        }
        if (training == null || !training.isArray()) {
            throw new DatasetFormatException(json + ": no \"training\" list");
        }
        List<LabelledCase> cases = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (JsonNode entry : training) {
            if (!entry.hasNonNull("image") || !entry.hasNonNull("label")) {
                throw new DatasetFormatException(json + ": training entry without image and label: " + entry);
            }
            Path image = root.resolve(entry.get("image").asText()).normalize();
            Path label = root.resolve(entry.get("label").asText()).normalize();
            if (!Files.exists(image)) {
                missing.add("image " + root.relativize(image));
            }
            if (!Files.exists(label)) {
                missing.add("label " + root.relativize(label) + " (for " + root.relativize(image) + ")");
            }
            cases.add(new LabelledCase(MpiSpectDataset.stem(image.getFileName().toString()), image, label));
        }
        if (!missing.isEmpty()) {
            throw new DatasetFormatException(json + " lists missing files: " + String.join(", ", missing));
        }
        return cases;
    }

    private static List<LabelledCase> byName(Path root) throws IOException {
        Set<String> images = names(root.resolve("imagesTr"));
        Set<String> labels = names(root.resolve("labelsTr"));
        List<String> problems = new ArrayList<>();
        for (String n : images) {
            if (!labels.contains(n)) {
                problems.add("imagesTr/" + n + " has no labelsTr/" + n);
            }
        }
        for (String n : labels) {
            if (!images.contains(n)) {
                problems.add("labelsTr/" + n + " has no imagesTr/" + n);
            }
        }
        if (!problems.isEmpty()) {
            throw new DatasetFormatException(root + ": " + String.join("; ", problems));
        }
        List<LabelledCase> cases = new ArrayList<>();
        for (String n : images) {
            cases.add(new LabelledCase(MpiSpectDataset.stem(n), root.resolve("imagesTr").resolve(n),
                    root.resolve("labelsTr").resolve(n)));
        }
        return cases;
    }

    private static Set<String> names(Path dir) throws IOException {
        Set<String> out = new TreeSet<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith(".") && MpiSpectDataset.stem(n) != null)
                    .forEach(out::add);
        }
        return out;
    }
}

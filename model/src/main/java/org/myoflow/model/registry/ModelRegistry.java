package org.myoflow.model.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.myoflow.model.inference.UNetSegmenter;
import org.myoflow.model.postprocess.VolumeCalibration;
import org.myoflow.model.training.UNetTrainer;

/**
 * File-based model registry under {@code <root>/models/}: one folder per version with the weights,
 * {@code manifest.json} and, once fitted, {@link VolumeCalibration#FILE}; {@code PRODUCTION} names the version in production; {@code promotions.log} keeps every
 * promotion so a rollback returns to the one before. Pointer updates are atomic renames.
 */
public final class ModelRegistry {
    public static final String WEIGHTS_FILE = UNetTrainer.WEIGHTS_NAME + "-0000.params";
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    // manifests carry a schemaVersion; fields a newer writer added are ignored by an older reader
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    /** The model shipped inside the jar, installed as the first production version of an empty registry. */
    public static final String BUNDLED = "/org/myoflow/model/bundled/";

    private final Path models;

    public ModelRegistry(Path root) {
        this.models = root.resolve("models");
    }

    public Path folder(String version) {
        requireValid(version);
        return models.resolve(version);
    }

    /** Copies the weights in {@code weightsDir} and writes the manifest as a new version. */
    public void register(ModelManifest manifest, Path weightsDir) throws IOException {
        Path dir = folder(manifest.version());
        if (Files.exists(dir.resolve("manifest.json"))) {
            throw new IOException("model version " + manifest.version() + " already exists in " + models);
        }
        Path weights = weightsDir.resolve(WEIGHTS_FILE);
        if (!Files.exists(weights)) {
            throw new IOException("no weights " + WEIGHTS_FILE + " in " + weightsDir);
        }
        Files.createDirectories(dir);
        Files.copy(weights, dir.resolve(WEIGHTS_FILE), StandardCopyOption.REPLACE_EXISTING);
        // the manifest goes last: a folder without one is not a version
        writeAtomically(dir.resolve("manifest.json"), JSON.writeValueAsBytes(manifest));
    }

    public ModelManifest manifest(String version) throws IOException {
        Path f = folder(version).resolve("manifest.json");
        if (!Files.exists(f)) {
            throw new IOException("no model version " + version + " in " + models + " (known: " + list() + ")");
        }
        return JSON.readValue(f.toFile(), ModelManifest.class);
    }

    /** The version's volume calibration, if one was fitted for it. */
    public Optional<VolumeCalibration> calibration(String version) throws IOException {
        Path f = folder(version).resolve(VolumeCalibration.FILE);
        return Files.exists(f) ? Optional.of(JSON.readValue(f.toFile(), VolumeCalibration.class)) : Optional.empty();
    }

    /** Stores (or replaces) the version's volume calibration. */
    public void saveCalibration(String version, VolumeCalibration calibration) throws IOException {
        manifest(version); // must exist
        writeAtomically(folder(version).resolve(VolumeCalibration.FILE), JSON.writeValueAsBytes(calibration));
    }

    /** Versions, oldest first by creation time. */
    public List<String> list() throws IOException {
        if (!Files.isDirectory(models)) {
            return List.of();
        }
        java.util.Map<String, String> created = new java.util.HashMap<>();
        try (Stream<Path> s = Files.list(models)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (Files.exists(p.resolve("manifest.json"))) {
                    String v = p.getFileName().toString();
                    created.put(v, manifest(v).createdAt());
                }
            }
        }
        List<String> out = new ArrayList<>(created.keySet());
        out.sort(java.util.Comparator.comparing(created::get));
        return out;
    }

    public Optional<String> production() throws IOException {
        Path p = models.resolve("PRODUCTION");
        return Files.exists(p) ? Optional.of(Files.readString(p).trim()) : Optional.empty();
    }

    public void promote(String version) throws IOException {
        manifest(version); // must exist
        Files.createDirectories(models);
        writeAtomically(models.resolve("PRODUCTION"), (version + "\n").getBytes(StandardCharsets.UTF_8));
        Files.writeString(models.resolve("promotions.log"), version + "\n", StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    /** Returns production to the version promoted before the current one; returns that version. */
    public String rollback() throws IOException {
        Path log = models.resolve("promotions.log");
        List<String> history = Files.exists(log) ? new ArrayList<>(Files.readAllLines(log)) : new ArrayList<>();
        history.removeIf(String::isBlank);
        String current = production().orElseThrow(() -> new IOException("no production model to roll back"));
        while (!history.isEmpty() && history.get(history.size() - 1).equals(current)) {
            history.remove(history.size() - 1);
        }
        if (history.isEmpty()) {
            throw new IOException("no earlier production model than " + current + " to roll back to");
        }
        String previous = history.get(history.size() - 1);
        writeAtomically(models.resolve("PRODUCTION"), (previous + "\n").getBytes(StandardCharsets.UTF_8));
        writeAtomically(log, (String.join("\n", history) + "\n").getBytes(StandardCharsets.UTF_8));
        return previous;
    }

    /**
     * The production version; an empty registry first gets the model bundled in the jar installed and promoted.
     */
    public String productionOrBundled() throws IOException {
        Optional<String> p = production();
        if (p.isPresent()) {
            topUpBundledCalibration(p.get());
            return p.get();
        }
        ModelManifest bundled;
        try (InputStream m = ModelRegistry.class.getResourceAsStream(BUNDLED + "manifest.json")) {
            if (m == null) {
                throw new IOException("no production model in " + models + " and no model bundled in the jar");
            }
            bundled = JSON.readValue(m, ModelManifest.class);
        }
        Path dir = folder(bundled.version());
        if (!Files.exists(dir.resolve("manifest.json"))) {
            Files.createDirectories(dir);
            try (InputStream w = ModelRegistry.class.getResourceAsStream(BUNDLED + WEIGHTS_FILE)) {
                Files.copy(w, dir.resolve(WEIGHTS_FILE), StandardCopyOption.REPLACE_EXISTING);
            }
            try (InputStream c = ModelRegistry.class.getResourceAsStream(BUNDLED + VolumeCalibration.FILE)) {
                if (c != null) {
                    Files.copy(c, dir.resolve(VolumeCalibration.FILE), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            writeAtomically(dir.resolve("manifest.json"), JSON.writeValueAsBytes(bundled));
        }
        promote(bundled.version());
        return bundled.version();
    }

    /**
     * A registry installed before the bundled model had a volume calibration gets it now; a calibration fitted here
     * is left as it is.
     */
    private void topUpBundledCalibration(String version) throws IOException {
        Path target = folder(version).resolve(VolumeCalibration.FILE);
        if (Files.exists(target)) {
            return;
        }
        try (InputStream m = ModelRegistry.class.getResourceAsStream(BUNDLED + "manifest.json");
             InputStream c = ModelRegistry.class.getResourceAsStream(BUNDLED + VolumeCalibration.FILE)) {
            if (m == null || c == null || !JSON.readValue(m, ModelManifest.class).version().equals(version)
                    || !Files.exists(folder(version).resolve("manifest.json"))) {
                return;
            }
            writeAtomically(target, c.readAllBytes());
        }
    }

    public UNetSegmenter load(String version, int threads) throws IOException {
        ModelManifest m = manifest(version);
        return UNetSegmenter.load(folder(version), m.architecture(), "unet-" + version, threads);
    }

    public static ObjectMapper json() {
        return JSON;
    }

    private static void requireValid(String version) {
        if (!VERSION.matcher(version).matches()) {
            throw new IllegalArgumentException("invalid model version '" + version + "' (letters, digits, . _ -)");
        }
    }

    private static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".part");
        Files.write(tmp, bytes);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}

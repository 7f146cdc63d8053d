package org.myoflow.workers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myoflow.model.io.Nifti;
import org.myoflow.model.io.NiftiDataType;
import org.myoflow.model.phantom.PhantomCase;
import org.myoflow.model.phantom.PhantomOptions;
import org.myoflow.model.phantom.SpectPhantom;
import org.myoflow.model.postprocess.Postprocessor;
import org.myoflow.model.postprocess.VolumeCalibration;
import org.myoflow.model.preprocess.PreprocessRecord;
import org.myoflow.model.preprocess.Preprocessor;
import org.myoflow.model.registry.ModelManifest;
import org.myoflow.model.registry.ModelRegistry;
import org.myoflow.model.volume.BinaryMask;
import org.myoflow.model.volume.Volume;
import org.myoflow.workflows.events.SeriesReceived;
import org.myoflow.workflows.events.StudyReceived;
import org.myoflow.workflows.segmentation.MaskResult;
import org.myoflow.workflows.segmentation.NetworkOutput;
import org.myoflow.workflows.segmentation.PreparedInput;
import org.myoflow.workflows.segmentation.SegmentationRequest;

class CpuActivitiesImplTest {

    /**
     * Postprocessing calibrates the myocardial volume with the resolution of the camera that sent the study: each
     * configured sender gets its own, an unconfigured one none. The phantom's truth stands in for the network.
     */
    @Test
    void volumeCalibrationUsesTheSendersCameraResolution(@TempDir Path root) throws Exception {
        ModelRegistry registry = new ModelRegistry(root);
        String version = registry.productionOrBundled();
        ModelManifest manifest = registry.manifest(version);
        VolumeCalibration calibration = registry.calibration(version).orElseThrow();
        PhantomCase phantom = SpectPhantom.generate("cal", 7, PhantomOptions.normal());
        Path volume = root.resolve("studies/1.2.3/r1/nm.nii.gz");
        Files.createDirectories(volume.getParent());
        Nifti.write(volume, phantom.image(), NiftiDataType.FLOAT32);
        CpuActivitiesImpl cpu = new CpuActivitiesImpl(root, CameraResolutions.parse("NM_CAM1=12,NM_CAM2=16"));

        PreparedInput in = cpu.preprocess(new SegmentationRequest(study("NM_CAM1", root.relativize(volume)), version));
        assertEquals("NM_CAM1", in.callingAeTitle());
        PreprocessRecord record = WorkerJson.MAPPER.readValue(root.resolve(in.recordPath()).toFile(),
                PreprocessRecord.class);
        Volume probabilities = Preprocessor.maskToTarget(phantom.myocardium(), record).toVolume();
        Path probabilitiesPath = root.resolve(in.workDir()).resolve("network.nii.gz");
        Nifti.write(probabilitiesPath, probabilities, NiftiDataType.FLOAT32);
        NetworkOutput out = new NetworkOutput(root.relativize(probabilitiesPath).toString(), version, "test", "cpu", 0);

        // what the clean-up alone leaves, on the source grid: the calibration's input
        Postprocessor post = new Postprocessor(manifest.postprocessing());
        BinaryMask cleaned = new BinaryMask(phantom.image().grid(), post.clean(Preprocessor.probabilitiesToOriginal(
                Nifti.readVolume(probabilitiesPath), record).threshold((float) post.config().threshold())).data());

        MaskResult fromCam1 = cpu.postprocess(in, out);
        long cam1 = fromCam1.voxels();
        assertEquals("image+camera", fromCam1.volumeCorrection().fit());
        assertEquals(12.0, fromCam1.volumeCorrection().cameraFwhmMm());
        long cam2 = cpu.postprocess(from(in, "nm_cam2"), out).voxels();
        MaskResult unknown = cpu.postprocess(from(in, "PACS"), out);
        assertEquals(calibration.apply(phantom.image(), cleaned, 12.0).mask().count(), cam1);
        assertEquals(calibration.apply(phantom.image(), cleaned, 16.0).mask().count(), cam2);
        assertEquals(calibration.apply(phantom.image(), cleaned, null).mask().count(), unknown.voxels());
        assertNotEquals(cam1, cam2, "two cameras, two corrections");
        assertEquals("image", unknown.volumeCorrection().fit());
        assertEquals(null, unknown.volumeCorrection().cameraFwhmMm());
        assertEquals(cleaned.volumeMl(), unknown.volumeCorrection().uncorrectedMl(), 1e-3); // spacing passes NIfTI float32
        assertEquals(unknown.voxels(), Nifti.readMask(root.resolve(unknown.maskPath())).count());
    }

    private static PreparedInput from(PreparedInput in, String callingAe) {
        return new PreparedInput(in.seriesInstanceUid(), in.modality(), in.workDir(), in.sourceVolumePath(),
                in.inputPath(), in.recordPath(), callingAe);
    }

    private static StudyReceived study(String callingAe, Path volume) {
        SeriesReceived nm = new SeriesReceived("1.2.3.4", "NM", "1.2.840.10008.5.1.4.1.1.20", 1, "SPECT",
                List.of("1.2.3.4.5"), volume.toString(), null, null, null);
        return new StudyReceived(StudyReceived.SCHEMA_VERSION, "1.2.3", 1, "P1", "Test^Patient", "A1", callingAe, 1,
                StudyReceived.Completion.CERTAIN, Instant.now(), Instant.now(), List.of(nm));
    }
}

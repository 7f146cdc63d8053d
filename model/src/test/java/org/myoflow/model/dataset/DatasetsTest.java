package org.myoflow.model.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myoflow.model.io.Nifti;
import org.myoflow.model.phantom.PhantomCase;
import org.myoflow.model.phantom.PhantomOptions;
import org.myoflow.model.phantom.SpectPhantom;
import org.myoflow.model.volume.BinaryMask;
import org.myoflow.model.volume.Grid;
import org.myoflow.model.volume.Volume;

class DatasetsTest {

    @Test
    void mpiSpectLayoutRoundTripsPhantoms(@TempDir Path root) throws Exception {
        PhantomCase a = SpectPhantom.generate("case_001", 1, PhantomOptions.normal());
        PhantomCase b = SpectPhantom.generate("case_002", 2, PhantomOptions.challenging(1));
        MpiSpectDataset.write(root, a.id(), a.image(), a.myocardium());
        MpiSpectDataset.write(root, b.id(), b.image(), b.myocardium());
        assertTrue(Files.exists(root.resolve("NIfTI/case_001.nii.gz")));
        assertTrue(Files.exists(root.resolve("NIfTI/case_001_mask.nii.gz")));
        List<LabelledCase> cases = Datasets.open(root);
        assertEquals(List.of("case_001", "case_002"), cases.stream().map(LabelledCase::id).toList());
        LabelledCase.Loaded loaded = cases.get(1).load();
        assertArrayEquals(b.image().data(), loaded.image().data());
        assertArrayEquals(b.myocardium().data(), loaded.label().data());
        assertTrue(b.image().grid().affine().maxAbsDifference(loaded.image().grid().affine()) < 1e-4);
    }

    @Test
    void mpiSpectNamesTheMissingPartner(@TempDir Path root) throws Exception {
        PhantomCase a = SpectPhantom.generate("p1", 1, PhantomOptions.normal());
        MpiSpectDataset.write(root, "p1", a.image(), a.myocardium());
        Nifti.write(root.resolve("NIfTI/p2.nii.gz"), a.image(), org.myoflow.model.io.NiftiDataType.FLOAT32);
        Nifti.write(root.resolve("NIfTI/p3_mask.nii.gz"), a.myocardium());
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> MpiSpectDataset.open(root));
        assertTrue(e.getMessage().contains("NIfTI/p2.nii.gz has no mask NIfTI/p2_mask.nii.gz"), e.getMessage());
        assertTrue(e.getMessage().contains("NIfTI/p3_mask.nii.gz has no image"), e.getMessage());
    }

    @Test
    void decathlonWithDatasetJsonAndByName(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("imagesTr"));
        Files.createDirectories(root.resolve("labelsTr"));
        Grid g = Grid.of(6, 5, 4, 1.25, 1.25, 1.37);
        Volume img = Volume.zeros(g);
        img.data()[5] = 7;
        BinaryMask lab = BinaryMask.empty(g);
        lab.data()[5] = true;
        for (String n : new String[] {"la_003", "la_004"}) {
            Nifti.write(root.resolve("imagesTr/" + n + ".nii.gz"), img, org.myoflow.model.io.NiftiDataType.INT16);
            Nifti.write(root.resolve("labelsTr/" + n + ".nii.gz"), lab);
        }
        Files.writeString(root.resolve("imagesTr/._la_003.nii.gz"), "macOS resource fork");
        // by name first (no dataset.json)
        assertEquals(List.of("la_003", "la_004"), Datasets.open(root).stream().map(LabelledCase::id).toList());
        Files.writeString(root.resolve("dataset.json"), """
                {"name": "LeftAtrium", "modality": {"0": "MRI"}, "labels": {"0": "background", "1": "left atrium"},
                 "training": [{"image": "./imagesTr/la_004.nii.gz", "label": "./labelsTr/la_004.nii.gz"}]}
                """);
        List<LabelledCase> cases = Datasets.open(root);
        assertEquals(1, cases.size());
        assertEquals(1, cases.get(0).load().label().count());

        Files.writeString(root.resolve("dataset.json"), """
                {"training": [{"image": "./imagesTr/la_009.nii.gz", "label": "./labelsTr/la_009.nii.gz"}]}
                """);
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> Datasets.open(root));
        assertTrue(e.getMessage().contains("imagesTr/la_009.nii.gz"), e.getMessage());
    }

    @Test
    void unknownLayoutIsExplained(@TempDir Path root) {
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> Datasets.open(root));
        assertTrue(e.getMessage().contains("MPI-SPECT") && e.getMessage().contains("Decathlon"));
    }
}

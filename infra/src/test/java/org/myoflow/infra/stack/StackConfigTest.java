package org.myoflow.infra.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class StackConfigTest {

    @Test
    void cameraResolutionIsOptionalAndChecked() {
        assertNull(StackConfig.from(Map.of()).cameraFwhmMm());
        StackConfig s = StackConfig.from(Map.of("MYOFLOW_CAMERA_FWHM_MM", " 13.5 "));
        assertEquals(13.5, s.cameraFwhmMm());
        assertEquals(13.5, s.withEmbeddedPorts(0, 0).withPacs(java.util.List.of()).cameraFwhmMm());
        IllegalArgumentException unit = assertThrows(IllegalArgumentException.class,
                () -> StackConfig.from(Map.of("MYOFLOW_CAMERA_FWHM_MM", "13.5mm")));
        assertTrue(unit.getMessage().contains("number of mm"), unit.getMessage());
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                () -> StackConfig.from(Map.of("MYOFLOW_CAMERA_FWHM_MM", "0.014")));
        assertTrue(range.getMessage().contains("3-30 mm"), range.getMessage());
    }
}

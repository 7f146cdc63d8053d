package org.myoflow.infra.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class StackConfigTest {

    @Test
    void cameraResolutionIsOptionalAndChecked() {
        assertNull(StackConfig.from(Map.of()).cameras().forCallingAe("NM_CAM1"));
        StackConfig s = StackConfig.from(Map.of("MYOFLOW_CAMERA_FWHM_MM", " 13.5 "));
        assertEquals(13.5, s.cameras().forCallingAe("NM_CAM1"));
        assertEquals(13.5, s.withEmbeddedPorts(0, 0).withPacs(java.util.List.of()).cameras().forCallingAe("X"));
        StackConfig two = StackConfig.from(Map.of("MYOFLOW_CAMERA_FWHM_MM", "NM_CAM1=12.8,NM_CAM2=15.6"));
        assertEquals(15.6, two.cameras().forCallingAe("NM_CAM2"));
        IllegalArgumentException unit = assertThrows(IllegalArgumentException.class,
                () -> StackConfig.from(Map.of("MYOFLOW_CAMERA_FWHM_MM", "13.5mm")));
        assertTrue(unit.getMessage().startsWith("MYOFLOW_CAMERA_FWHM_MM"), unit.getMessage());
        assertTrue(unit.getMessage().contains("number of mm"), unit.getMessage());
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                () -> StackConfig.from(Map.of("MYOFLOW_CAMERA_FWHM_MM", "NM_CAM1=0.014")));
        assertTrue(range.getMessage().contains("3-30 mm"), range.getMessage());
    }

    @Test
    void portsAndTlsAreCheckedByName() {
        StackConfig d = StackConfig.from(Map.of());
        assertEquals(9092, d.embeddedKafkaPort());
        assertEquals(7233, d.embeddedTemporalPort());
        assertFalse(d.temporalTls());
        StackConfig s = StackConfig.from(Map.of("MYOFLOW_KAFKA_PORT", " 0 ", "MYOFLOW_TEMPORAL_PORT", "17233",
                "MYOFLOW_TEMPORAL_TLS", "TRUE"));
        assertEquals(0, s.embeddedKafkaPort());
        assertEquals(17233, s.embeddedTemporalPort());
        assertTrue(s.temporalTls());
        assertFalse(StackConfig.from(Map.of("MYOFLOW_TEMPORAL_TLS", "false")).temporalTls());
        for (Map.Entry<String, String> bad : Map.of("MYOFLOW_KAFKA_PORT", "90 92", "MYOFLOW_TEMPORAL_PORT", "70000",
                "MYOFLOW_TEMPORAL_TLS", "yes").entrySet()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> StackConfig.from(Map.of(bad.getKey(), bad.getValue())), bad.toString());
            assertTrue(e.getMessage().startsWith(bad.getKey() + " must be "), e.getMessage());
            assertTrue(e.getMessage().endsWith("got " + bad.getValue()), e.getMessage());
        }
    }
}

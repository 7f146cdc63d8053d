package org.myoflow.workers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CameraResolutionsTest {

    @Test
    void oneNumberServesEverySender() {
        CameraResolutions c = CameraResolutions.parse(" 13.5 ");
        assertEquals(13.5, c.forCallingAe("NM_CAM1"));
        assertEquals(13.5, c.forCallingAe(null));
        assertNull(CameraResolutions.parse("").forCallingAe("NM_CAM1"));
        assertNull(CameraResolutions.parse(null).forCallingAe("NM_CAM1"));
    }

    @Test
    void eachSenderGetsItsOwnAndOnlyTheWildcardCoversTheRest() {
        CameraResolutions c = CameraResolutions.parse("nm_cam1=12.8, NM_CAM2 = 15.6");
        assertEquals(12.8, c.forCallingAe("NM_CAM1"));
        assertEquals(15.6, c.forCallingAe(" nm_cam2 "));
        assertNull(c.forCallingAe("PACS"), "an unknown sender is calibrated from the image alone");
        assertEquals(14.0, CameraResolutions.parse("NM_CAM1=12.8,*=14").forCallingAe("PACS"));
        assertEquals(12.8, CameraResolutions.parse("*=14,NM_CAM1=12.8").forCallingAe("NM_CAM1"));
    }

    @Test
    void refusesWhatCannotBeAResolution() {
        assertMessage("13.5mm", "number of mm");
        assertMessage("0.014", "3-30 mm");
        assertMessage("NM_CAM1=40", "3-30 mm");
        assertMessage("NM_CAM1", "number of mm");
        assertMessage("NM_CAM1=13,=14", "expected AE=mm");
        assertMessage("NM_CAM1=13,nm_cam1=14", "given twice");
        assertMessage("A_VERY_LONG_AE_TITLE=13", "longer than 16");
    }

    private static void assertMessage(String text, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CameraResolutions.parse(text));
        assertTrue(e.getMessage().contains(expected), text + ": " + e.getMessage());
    }
}

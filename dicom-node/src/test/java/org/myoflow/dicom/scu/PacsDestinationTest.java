package org.myoflow.dicom.scu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class PacsDestinationTest {

    @Test
    void parsesDestinationsWithTheirOutputs() {
        List<PacsDestination> d = PacsDestination.parseList(
                "PACS1@10.0.0.5:104, OLDVIEW@viewer.local:4242/sc+sr;ts=implicit");
        assertEquals(new PacsDestination("PACS1", "10.0.0.5", 104), d.get(0));
        assertEquals(EnumSet.allOf(PacsDestination.Output.class), d.get(0).outputs());
        assertEquals(EnumSet.of(PacsDestination.Output.SC, PacsDestination.Output.SR), d.get(1).outputs());
        assertEquals(PacsDestination.Encoding.IMPLICIT, d.get(1).transferSyntax());
        assertEquals("OLDVIEW@viewer.local:4242/sr+sc;ts=implicit", d.get(1).toString());
        assertEquals(d, PacsDestination.parseList(d.get(0) + "," + d.get(1)), "toString parses back");
        assertEquals(List.of(), PacsDestination.parseList(" "));
    }

    @Test
    void refusesMalformedSpecsWithTheReason() {
        assertThrows(IllegalArgumentException.class, () -> PacsDestination.parseList("PACS1:104"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PacsDestination.parseList("PACS1@h:104/seg+pdf"));
        assertEquals(true, e.getMessage().contains("pdf"));
        assertThrows(IllegalArgumentException.class, () -> PacsDestination.parseList("PACS1@h:104;ts=jpeg"));
    }
}

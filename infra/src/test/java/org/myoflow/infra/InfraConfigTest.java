package org.myoflow.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class InfraConfigTest {

    @Test
    void threadsDefaultToTheCoresAndAreCheckedByName() {
        assertEquals(Runtime.getRuntime().availableProcessors(), InfraConfig.from(Map.of()).threads());
        assertEquals(3, InfraConfig.from(Map.of("MYOFLOW_THREADS", " 3")).threads());
        for (String bad : new String[] {"two", "0", "-1"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> InfraConfig.from(Map.of("MYOFLOW_THREADS", bad)));
            assertEquals("MYOFLOW_THREADS must be a whole number above 0, got " + bad, e.getMessage());
        }
    }
}

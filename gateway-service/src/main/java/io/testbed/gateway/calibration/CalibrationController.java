package io.testbed.gateway.calibration;

import io.swagger.v3.oas.annotations.Operation;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/calibration}: the latest calibration report ({@code make calibrate}). */
@RestController
public class CalibrationController {
    private final CalibrationReports reports;

    public CalibrationController(CalibrationReports reports) {
        this.reports = reports;
    }

    @Operation(summary = "The latest calibration on Akuma's measurements (reports/calibration.json), 404 if none")
    @GetMapping(value = "/api/calibration", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Object> latest() {
        return reports.latest().<ResponseEntity<Object>>map(ResponseEntity::ok)
                .orElseGet(() -> ResponseEntity.status(HttpStatus.NOT_FOUND)
                        .body(java.util.Map.of("error", "no calibration report: run make calibrate")));
    }
}

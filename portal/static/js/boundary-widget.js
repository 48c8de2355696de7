/* Mi Barrio admin: draw a boundary on a small map (neighborhoods.widgets.BoundaryWidget).
   The text box above the map always holds the GeoJSON and can be pasted into; this only helps:
   it draws what the box holds, and clicks on the map add corners that "Close polygon" writes into
   the box as a GeoJSON Polygon (longitude first). Tiles are optional: offline the outline is
   drawn over a plain background. */
(function () {
    "use strict";

    function round(value) {
        return Math.round(value * 1e6) / 1e6;
    }

    function init(box) {
        if (box.dataset.ready || !window.L) return;
        box.dataset.ready = "1";
        var L = window.L;
        var textarea = document.getElementById(box.dataset.textarea);
        var status = box.querySelector("[data-status]");
        var bbox = box.dataset.cityBbox.split(",").map(Number); // west, south, east, north
        var cityBounds = L.latLngBounds([bbox[1], bbox[0]], [bbox[3], bbox[2]]);
        var map = L.map(box.querySelector(".boundary-draw-map"));
        L.tileLayer(box.dataset.tileUrl, { attribution: box.dataset.tileAttribution, maxZoom: 19 }).addTo(map);
        L.rectangle(cityBounds, { color: "#57606a", weight: 1, dashArray: "6 6", fill: false, interactive: false }).addTo(map);
        map.fitBounds(cityBounds);
        var saved = L.geoJSON(null, { style: { color: "#083f78", weight: 2, fillOpacity: 0.2 } }).addTo(map);
        var line = L.polyline([], { color: "#b35300", weight: 3 }).addTo(map);
        var corners = L.layerGroup().addTo(map);
        var points = [];

        function say(text) {
            status.textContent = text || "";
        }

        function showSaved(fit) {
            saved.clearLayers();
            if (!textarea.value.trim()) return;
            try {
                saved.addData(JSON.parse(textarea.value));
                if (fit && saved.getBounds().isValid()) map.fitBounds(saved.getBounds(), { padding: [12, 12] });
            } catch (error) {
                say(box.dataset.labelUnreadable);
            }
        }

        function redraw() {
            line.setLatLngs(points);
            corners.clearLayers();
            points.forEach(function (point) {
                L.circleMarker(point, { radius: 4, color: "#b35300" }).addTo(corners);
            });
            say(points.length ? box.dataset.labelPoints + " " + points.length : "");
        }

        map.on("click", function (event) {
            points.push(event.latlng);
            redraw();
        });
        box.addEventListener("click", function (event) {
            var action = event.target.getAttribute("data-action");
            if (action === "undo") {
                points.pop();
                redraw();
            } else if (action === "clear") {
                points = [];
                redraw();
            } else if (action === "close") {
                if (points.length < 3) {
                    say(box.dataset.labelTooFew);
                    return;
                }
                var ring = points.map(function (p) { return [round(p.lng), round(p.lat)]; });
                ring.push(ring[0].slice());
                textarea.value = JSON.stringify({ type: "Polygon", coordinates: [ring] });
                textarea.dispatchEvent(new Event("change", { bubbles: true }));
                points = [];
                redraw();
                showSaved(false);
                say(box.dataset.labelWritten);
            }
        });
        textarea.addEventListener("input", function () { say(""); showSaved(true); });
        if (window.ResizeObserver) new ResizeObserver(function () { map.invalidateSize(); }).observe(map.getContainer());
        showSaved(true);
    }

    function start() {
        document.querySelectorAll("[data-boundary-widget]").forEach(init);
    }

    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
    else start();
})();

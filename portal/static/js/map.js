/* Mi Barrio maps: an enhancement of the server's SVG map (templates/components/map.html).
   - "Open interactive map" loads Leaflet (portal/static/vendor/leaflet) only when asked for, draws
     the page's outlines and works (fetched from the page's GeoJSON route) over the tiles named by
     the settings, on a plain background when tiles cannot load; a marker opens its work.
   - "Find my neighbourhood": "Use my location" (with the browser's permission) and a click on the
     interactive map fill in the latitude/longitude form, which works without this script. */
(function () {
    "use strict";
    var leafletLoading = null;

    function load(figure) {
        if (window.L) return Promise.resolve(window.L);
        if (!leafletLoading) {
            leafletLoading = new Promise(function (resolve, reject) {
                var css = document.createElement("link");
                css.rel = "stylesheet";
                css.href = figure.dataset.leafletCss;
                document.head.appendChild(css);
                var script = document.createElement("script");
                script.src = figure.dataset.leafletJs;
                script.onload = function () { resolve(window.L); };
                script.onerror = function () { leafletLoading = null; reject(new Error("leaflet")); };
                document.head.appendChild(script);
            });
        }
        return leafletLoading;
    }

    function say(element, text) {
        if (element) element.textContent = text || "";
    }

    function fillForm(form, lat, lng, message) {
        form.elements.lat.value = lat.toFixed(6);
        form.elements.lon.value = lng.toFixed(6);
        say(form.querySelector(".map-find-status"), message);
    }

    function markerIcon(L, status) {
        var shape = document.getElementById("map-m-" + status);
        var d = shape ? shape.getAttribute("d") : "M-10 0a10 10 0 1 0 20 0a10 10 0 1 0-20 0Z";
        return L.divIcon({
            className: "map-pin",
            iconSize: [26, 26],
            html: '<svg viewBox="-15 -15 30 30" width="26" height="26" aria-hidden="true" focusable="false">' +
                '<path class="map-marker map-marker--' + status + '" d="' + d + '"/></svg>'
        });
    }

    function draw(L, figure, holder, data) {
        var form = document.getElementById(figure.dataset.findForm || "");
        var map = L.map(holder);
        L.tileLayer(figure.dataset.tileUrl, { attribution: figure.dataset.tileAttribution, maxZoom: 19 }).addTo(map);
        var picked = null;
        var layer = L.geoJSON(data, {
            style: function (feature) {
                return feature.properties.current
                    ? { color: "#5c4a00", weight: 2.5, fillColor: "#fff8d6", fillOpacity: 0.5 }
                    : { color: "#083f78", weight: 1.5, fillColor: "#cfe0f3", fillOpacity: 0.45 };
            },
            pointToLayer: function (feature, latlng) {
                var p = feature.properties;
                return L.marker(latlng, { icon: markerIcon(L, p.status), title: p.title + " (" + p.status_label + ")" });
            },
            onEachFeature: function (feature, item) {
                var p = feature.properties;
                if (feature.geometry.type === "Point") {
                    item.on("click", function () { window.location.assign(p.url); });
                } else {
                    item.bindTooltip(p.title, { sticky: true });
                    if (p.url && !form) item.on("click", function () { window.location.assign(p.url); });
                }
            }
        }).addTo(map);
        var bounds = layer.getBounds();
        if (bounds.isValid()) map.fitBounds(bounds, { padding: [16, 16], maxZoom: 17 });
        if (form) {
            map.on("click", function (event) {
                fillForm(form, event.latlng.lat, event.latlng.lng, form.dataset.labelPicked);
                if (picked) picked.setLatLng(event.latlng);
                else picked = L.circleMarker(event.latlng, { radius: 7, color: "#1b1f23", weight: 3 }).addTo(map);
            });
        }
        return map;
    }

    function enhanceMap(figure) {
        var canvas = figure.querySelector(".map-canvas");
        var tools = document.createElement("div");
        tools.className = "map-tools";
        var button = document.createElement("button");
        button.type = "button";
        button.className = "map-open";
        button.textContent = figure.dataset.labelOpen;
        button.setAttribute("aria-expanded", "false");
        var status = document.createElement("p");
        status.className = "map-status";
        status.setAttribute("role", "status");
        tools.appendChild(button);
        tools.appendChild(status);
        canvas.parentNode.insertBefore(tools, canvas);
        var holder = null;
        var open = false;

        function show(interactive) {
            open = interactive;
            canvas.hidden = interactive;
            if (holder) holder.hidden = !interactive;
            button.textContent = interactive ? figure.dataset.labelClose : figure.dataset.labelOpen;
            button.setAttribute("aria-expanded", String(interactive));
        }

        button.addEventListener("click", function () {
            if (holder) {
                show(!open);
                return;
            }
            button.disabled = true;
            Promise.all([load(figure), fetch(figure.dataset.geojsonUrl).then(function (r) {
                if (!r.ok) throw new Error(r.status);
                return r.json();
            })]).then(function (results) {
                holder = document.createElement("div");
                holder.className = "map-leaflet";
                canvas.parentNode.insertBefore(holder, canvas.nextSibling);
                show(true);
                draw(results[0], figure, holder, results[1]);
                say(status, "");
            }).catch(function () {
                say(status, figure.dataset.labelError);
            }).then(function () {
                button.disabled = false;
            });
        });
    }

    function enhanceFindForm(form) {
        if (!navigator.geolocation || form.dataset.enhanced) return;
        form.dataset.enhanced = "1";
        var status = form.querySelector(".map-find-status");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "map-locate";
        button.textContent = form.dataset.labelLocate;
        form.querySelector(".map-find-fields").appendChild(button);
        button.addEventListener("click", function () {
            say(status, form.dataset.labelLocating);
            navigator.geolocation.getCurrentPosition(function (position) {
                fillForm(form, position.coords.latitude, position.coords.longitude, form.dataset.labelLocated);
                form.submit();
            }, function () {
                say(status, form.dataset.labelDenied);
            }, { timeout: 15000, maximumAge: 60000 });
        });
    }

    document.querySelectorAll("[data-map]").forEach(enhanceMap);
    document.querySelectorAll(".map-find").forEach(enhanceFindForm);
})();

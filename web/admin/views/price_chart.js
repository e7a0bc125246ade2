// The price history as an inline SVG line chart built node by node (createElementNS): buy and
// sell per gram over time. KES strings become numbers here only to place points; every label
// shows the API's own string.

import {formatKes, formatTime} from "/common/api.js";

const SVG_NS = "http://www.w3.org/2000/svg";
const WIDTH_MAX = 760;
const WIDTH_MIN = 300;
const PAD = {left: 104, right: 20, top: 24, bottom: 48};

function svg(tag, attributes = {}, ...children) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [name, value] of Object.entries(attributes)) {
        node.setAttribute(name, String(value));
    }
    node.append(...children);
    return node;
}

// The points of one series (oldest first) and the item strings at its extremes.
function toPoints(items) {
    return items.map((item) => ({
        at: Date.parse(item.updated_at),
        buy: Number(item.buy_price_per_gram),
        sell: Number(item.sell_price_per_gram),
        item,
    }));
}

// The lowest and highest price over both series, each with the exact string it came from.
function extremes(points) {
    let low = {value: Infinity, text: ""};
    let high = {value: -Infinity, text: ""};
    for (const point of points) {
        for (const [value, text] of [[point.buy, point.item.buy_price_per_gram],
                                     [point.sell, point.item.sell_price_per_gram]]) {
            if (value < low.value) {
                low = {value, text};
            }
            if (value > high.value) {
                high = {value, text};
            }
        }
    }
    return {low, high};
}

function scales(points, low, high, size) {
    const plotWidth = size.width - PAD.left - PAD.right;
    const plotHeight = size.height - PAD.top - PAD.bottom;
    const first = points[0].at;
    const last = points[points.length - 1].at;
    return {
        x: (at) => (last === first ? PAD.left + plotWidth / 2 : PAD.left + ((at - first) / (last - first)) * plotWidth),
        y: (value) => (high.value === low.value
            ? PAD.top + plotHeight / 2
            : PAD.top + ((high.value - value) / (high.value - low.value)) * plotHeight),
    };
}

// Dates for the x axis; a narrow chart drops the year so both ends fit.
function dateLabel(iso, size) {
    if (size.width >= 500) {
        return formatTime(iso);
    }
    return new Date(iso).toLocaleString("en-KE", {day: "numeric", month: "short", hour: "2-digit", minute: "2-digit"});
}

function axes(points, low, high, scale, size) {
    const bottom = size.height - PAD.bottom;
    const right = size.width - PAD.right;
    const parts = [
        svg("line", {class: "axis", x1: PAD.left, y1: PAD.top, x2: PAD.left, y2: bottom}),
        svg("line", {class: "axis", x1: PAD.left, y1: bottom, x2: right, y2: bottom}),
        svg("text", {class: "axis-label", x: PAD.left - 8, y: scale.y(high.value) + 4, "text-anchor": "end"},
            formatKes(high.text)),
        svg("text", {class: "axis-label", x: PAD.left, y: bottom + 20, "text-anchor": "start"},
            dateLabel(points[0].item.updated_at, size)),
        svg("text", {class: "axis-label", x: right, y: bottom + 20, "text-anchor": "end"},
            dateLabel(points[points.length - 1].item.updated_at, size)),
    ];
    if (high.value !== low.value) {
        parts.push(
            svg("text", {class: "axis-label", x: PAD.left - 8, y: scale.y(low.value) + 4, "text-anchor": "end"},
                formatKes(low.text)),
            svg("line", {class: "grid", x1: PAD.left, y1: scale.y(high.value), x2: right, y2: scale.y(high.value)}),
        );
    }
    return parts;
}

function series(points, key, scale, className, name) {
    const coordinates = points.map((point) => `${scale.x(point.at).toFixed(1)},${scale.y(point[key]).toFixed(1)}`);
    const dots = points.map((point) =>
        svg("circle", {class: `dot ${className}`, cx: scale.x(point.at).toFixed(1), cy: scale.y(point[key]).toFixed(1), r: 3},
            svg("title", {}, `${name} ${formatKes(point.item[`${key}_price_per_gram`])} · ${formatTime(point.item.updated_at)}`)),
    );
    return [svg("polyline", {class: `line ${className}`, points: coordinates.join(" ")}), ...dots];
}

// Returns <svg role="img" aria-label="Price history chart"> for the items (any order), drawn for
// `availableWidth` CSS pixels so its labels keep a readable size on a phone.
export function priceChart(items, availableWidth = WIDTH_MAX) {
    const width = Math.round(Math.min(WIDTH_MAX, Math.max(WIDTH_MIN, availableWidth || WIDTH_MAX)));
    const size = {width, height: width < 500 ? 240 : 300};
    const ordered = [...items].sort((a, b) => Date.parse(a.updated_at) - Date.parse(b.updated_at));
    const points = toPoints(ordered);
    const {low, high} = extremes(points);
    const scale = scales(points, low, high, size);
    return svg(
        "svg",
        {
            class: "price-chart",
            role: "img",
            "aria-label": "Price history chart",
            viewBox: `0 0 ${size.width} ${size.height}`,
            preserveAspectRatio: "xMidYMid meet",
        },
        svg("desc", {}, `Buy and sell price per gram, ${points.length} changes from ` +
            `${formatTime(ordered[0].updated_at)} to ${formatTime(ordered[ordered.length - 1].updated_at)}; ` +
            `lowest ${formatKes(low.text)}, highest ${formatKes(high.text)}.`),
        ...axes(points, low, high, scale, size),
        ...series(points, "sell", scale, "line-sell", "Sell"),
        ...series(points, "buy", scale, "line-buy", "Buy"),
    );
}

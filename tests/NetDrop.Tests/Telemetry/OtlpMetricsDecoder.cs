using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace NetDrop.Tests.Telemetry;

/// <summary>
/// Reads the integer Sum and Gauge data points out of an OTLP/HTTP protobuf <c>ExportMetricsServiceRequest</c>, by
/// the field numbers of opentelemetry-proto (collector/metrics/v1/metrics_service.proto, metrics/v1/metrics.proto,
/// common/v1/common.proto). Written for the test, independent of the exporter that encodes it: only the fields a
/// NetDrop counter uses are read, every other field is skipped by its wire type.
/// </summary>
internal static class OtlpMetricsDecoder
{
    private const int WireVarint = 0;
    private const int WireFixed64 = 1;
    private const int WireLengthDelimited = 2;
    private const int WireFixed32 = 5;

    public static List<ExportedDataPoint> Decode(ReadOnlySpan<byte> request, int export)
    {
        var points = new List<ExportedDataPoint>();
        var reader = new Reader(request);
        while (reader.Next(out int field, out int wire))
        {
            if (field == 1 && wire == WireLengthDelimited)
            {
                ResourceMetrics(reader.Bytes(), export, points); // ExportMetricsServiceRequest.resource_metrics = 1
            }
            else
            {
                reader.Skip(wire);
            }
        }

        return points;
    }

    private static void ResourceMetrics(ReadOnlySpan<byte> message, int export, List<ExportedDataPoint> points)
    {
        var reader = new Reader(message);
        while (reader.Next(out int field, out int wire))
        {
            if (field == 2 && wire == WireLengthDelimited)
            {
                ScopeMetrics(reader.Bytes(), export, points); // ResourceMetrics.scope_metrics = 2
            }
            else
            {
                reader.Skip(wire);
            }
        }
    }

    private static void ScopeMetrics(ReadOnlySpan<byte> message, int export, List<ExportedDataPoint> points)
    {
        var reader = new Reader(message);
        while (reader.Next(out int field, out int wire))
        {
            if (field == 2 && wire == WireLengthDelimited)
            {
                Metric(reader.Bytes(), export, points); // ScopeMetrics.metrics = 2
            }
            else
            {
                reader.Skip(wire);
            }
        }
    }

    private static void Metric(ReadOnlySpan<byte> message, int export, List<ExportedDataPoint> points)
    {
        string name = "";
        var reader = new Reader(message);
        while (reader.Next(out int field, out int wire))
        {
            switch (field, wire)
            {
                case (1, WireLengthDelimited): // Metric.name = 1 (comes first: the SDK writes fields in number order)
                    name = Encoding.UTF8.GetString(reader.Bytes());
                    break;
                case (5, WireLengthDelimited): // Metric.gauge = 5
                    DataPoints(reader.Bytes(), name, export, gauge: true, points);
                    break;
                case (7, WireLengthDelimited): // Metric.sum = 7
                    DataPoints(reader.Bytes(), name, export, gauge: false, points);
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }
    }

    /// <summary>A Sum or Gauge: data_points = 1; a Sum also has aggregation_temporality = 2.</summary>
    private static void DataPoints(ReadOnlySpan<byte> message, string metric, int export, bool gauge, List<ExportedDataPoint> points)
    {
        var raw = new List<(Dictionary<string, string> Attributes, long Value)>();
        var temporality = ExportedTemporality.Gauge;
        var reader = new Reader(message);
        while (reader.Next(out int field, out int wire))
        {
            if (field == 1 && wire == WireLengthDelimited)
            {
                raw.Add(NumberDataPoint(reader.Bytes()));
            }
            else if (field == 2 && wire == WireVarint && !gauge)
            {
                temporality = (ExportedTemporality)(int)reader.Varint();
            }
            else
            {
                reader.Skip(wire);
            }
        }

        points.AddRange(raw.Select(point => new ExportedDataPoint(export, metric, point.Attributes, point.Value, temporality)));
    }

    /// <summary>NumberDataPoint: attributes = 7, as_double = 4 (double), as_int = 6 (sfixed64).</summary>
    private static (Dictionary<string, string> Attributes, long Value) NumberDataPoint(ReadOnlySpan<byte> message)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        long value = 0;
        var reader = new Reader(message);
        while (reader.Next(out int field, out int wire))
        {
            switch (field, wire)
            {
                case (7, WireLengthDelimited):
                    (string key, string text) = KeyValue(reader.Bytes());
                    attributes[key] = text;
                    break;
                case (6, WireFixed64):
                    value = (long)reader.Fixed64();
                    break;
                case (4, WireFixed64):
                    value = checked((long)BitConverter.UInt64BitsToDouble(reader.Fixed64()));
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }

        return (attributes, value);
    }

    /// <summary>KeyValue: key = 1, value = 2 (AnyValue: string_value = 1, bool_value = 2, int_value = 3, double_value = 4).</summary>
    private static (string Key, string Value) KeyValue(ReadOnlySpan<byte> message)
    {
        string key = "";
        string value = "";
        var reader = new Reader(message);
        while (reader.Next(out int field, out int wire))
        {
            if (field == 1 && wire == WireLengthDelimited)
            {
                key = Encoding.UTF8.GetString(reader.Bytes());
            }
            else if (field == 2 && wire == WireLengthDelimited)
            {
                value = AnyValue(reader.Bytes());
            }
            else
            {
                reader.Skip(wire);
            }
        }

        return (key, value);
    }

    private static string AnyValue(ReadOnlySpan<byte> message)
    {
        var reader = new Reader(message);
        string value = "";
        while (reader.Next(out int field, out int wire))
        {
            value = (field, wire) switch
            {
                (1, WireLengthDelimited) => Encoding.UTF8.GetString(reader.Bytes()),
                (2, WireVarint) => reader.Varint() != 0 ? "true" : "false",
                (3, WireVarint) => ((long)reader.Varint()).ToString(CultureInfo.InvariantCulture),
                (4, WireFixed64) => BitConverter.UInt64BitsToDouble(reader.Fixed64()).ToString(CultureInfo.InvariantCulture),
                _ => SkipTo(ref reader, wire, value),
            };
        }

        return value;
    }

    private static string SkipTo(ref Reader reader, int wire, string value)
    {
        reader.Skip(wire);
        return value;
    }

    /// <summary>The protobuf wire format (protobuf.dev/programming-guides/encoding): tag varints, then the value.</summary>
    private ref struct Reader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _position;

        public bool Next(out int field, out int wire)
        {
            if (_position >= _data.Length)
            {
                field = wire = 0;
                return false;
            }

            ulong tag = Varint();
            field = (int)(tag >> 3);
            wire = (int)(tag & 7);
            return true;
        }

        public ulong Varint()
        {
            ulong value = 0;
            for (int shift = 0; shift < 64; shift += 7)
            {
                byte b = _data[_position++];
                value |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    return value;
                }
            }

            throw new InvalidDataException("varint longer than 10 bytes");
        }

        public ulong Fixed64()
        {
            ulong value = BinaryPrimitives.ReadUInt64LittleEndian(_data.Slice(_position, 8));
            _position += 8;
            return value;
        }

        public ReadOnlySpan<byte> Bytes()
        {
            int length = checked((int)Varint());
            ReadOnlySpan<byte> bytes = _data.Slice(_position, length);
            _position += length;
            return bytes;
        }

        public void Skip(int wire)
        {
            switch (wire)
            {
                case WireVarint:
                    _ = Varint();
                    break;
                case WireFixed64:
                    _position += 8;
                    break;
                case WireLengthDelimited:
                    _ = Bytes();
                    break;
                case WireFixed32:
                    _position += 4;
                    break;
                default:
                    throw new InvalidDataException($"wire type {wire} is not used by OTLP");
            }
        }
    }
}

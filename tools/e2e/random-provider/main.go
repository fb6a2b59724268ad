// pulumi-resource-random for the e2e harness: a STAND-IN, not the upstream provider.
//
// The real provider (github.com/pulumi/pulumi-random/provider/v4, a Terraform bridge over
// terraform-provider-random) is never tagged as a Go module, and the module proxy reachable here serves
// none of its pseudo-versions, so it cannot be built in this environment (see README.md). This native
// provider implements the same resource tokens and property names as @pulumi/random 4.21.2 for the
// resources a platform uses for credentials: RandomPassword, RandomString, RandomBytes, RandomId,
// RandomUuid and RandomInteger. As upstream, every input change replaces the resource, `result` of a
// password is a secret, and values are generated with crypto/rand.
package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"math/big"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/crypto/bcrypt"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/cmdutil"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/provider"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// Version is set at link time to the @pulumi/random version this stand-in answers for.
var Version = "4.21.2"

const (
	tPassword = "random:index/randomPassword:RandomPassword"
	tString   = "random:index/randomString:RandomString"
	tBytes    = "random:index/randomBytes:RandomBytes"
	tID       = "random:index/randomId:RandomId"
	tUUID     = "random:index/randomUuid:RandomUuid"
	tInteger  = "random:index/randomInteger:RandomInteger"
)

// inputs of each resource: any change to one of them replaces the resource.
var inputs = map[string][]string{
	tPassword: {"keepers", "length", "lower", "minLower", "minNumeric", "minSpecial", "minUpper", "number",
		"numeric", "overrideSpecial", "special", "upper"},
	tString: {"keepers", "length", "lower", "minLower", "minNumeric", "minSpecial", "minUpper", "number",
		"numeric", "overrideSpecial", "special", "upper"},
	tBytes:   {"keepers", "length"},
	tID:      {"keepers", "byteLength", "prefix"},
	tUUID:    {"keepers"},
	tInteger: {"keepers", "min", "max", "seed"},
}

// outputs computed by Create.
var outputs = map[string][]string{
	tPassword: {"result", "bcryptHash"},
	tString:   {"result"},
	tBytes:    {"base64", "hex"},
	tID:       {"b64Std", "b64Url", "dec", "hex"},
	tUUID:     {"result"},
	tInteger:  {"result"},
}

func main() {
	err := provider.Main("random", func(*provider.HostClient) (pulumirpc.ResourceProviderServer, error) {
		return &randomProvider{}, nil
	})
	if err != nil {
		cmdutil.ExitError(err.Error())
	}
}

type randomProvider struct {
	pulumirpc.UnimplementedResourceProviderServer
}

var opts = plugin.MarshalOptions{KeepUnknowns: true, KeepSecrets: true, SkipNulls: true}

func unmarshal(s *structpb.Struct) (resource.PropertyMap, error) {
	if s == nil {
		return resource.PropertyMap{}, nil
	}
	return plugin.UnmarshalProperties(s, opts)
}

func marshal(m resource.PropertyMap) (*structpb.Struct, error) { return plugin.MarshalProperties(m, opts) }

func typeOf(urn string) string { return resource.URN(urn).Type().String() }

func (p *randomProvider) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: Version}, nil
}

func (p *randomProvider) GetSchema(context.Context, *pulumirpc.GetSchemaRequest) (*pulumirpc.GetSchemaResponse, error) {
	return &pulumirpc.GetSchemaResponse{Schema: fmt.Sprintf(`{"name":"random","version":%q}`, Version)}, nil
}

func (p *randomProvider) CheckConfig(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	return &pulumirpc.CheckResponse{Inputs: req.GetNews()}, nil
}

func (p *randomProvider) DiffConfig(context.Context, *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	return &pulumirpc.DiffResponse{Changes: pulumirpc.DiffResponse_DIFF_NONE}, nil
}

func (p *randomProvider) Configure(context.Context, *pulumirpc.ConfigureRequest) (*pulumirpc.ConfigureResponse, error) {
	return &pulumirpc.ConfigureResponse{AcceptSecrets: true, SupportsPreview: true}, nil
}

func (p *randomProvider) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}

func known(v resource.PropertyValue) bool { return !v.ContainsUnknowns() }

func boolOr(m resource.PropertyMap, k string, def bool) bool {
	if v, ok := m[resource.PropertyKey(k)]; ok && v.IsBool() {
		return v.BoolValue()
	}
	return def
}

func numOr(m resource.PropertyMap, k string, def float64) float64 {
	if v, ok := m[resource.PropertyKey(k)]; ok && v.IsNumber() {
		return v.NumberValue()
	}
	return def
}

func strOr(m resource.PropertyMap, k, def string) string {
	if v, ok := m[resource.PropertyKey(k)]; ok && v.IsString() {
		return v.StringValue()
	}
	return def
}

func (p *randomProvider) Check(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	t := typeOf(req.GetUrn())
	if _, ok := inputs[t]; !ok {
		return nil, fmt.Errorf("resource type %s is not implemented by the e2e stand-in random provider", t)
	}
	news, err := unmarshal(req.GetNews())
	if err != nil {
		return nil, err
	}
	var failures []*pulumirpc.CheckFailure
	fail := func(prop, reason string) {
		failures = append(failures, &pulumirpc.CheckFailure{Property: prop, Reason: reason})
	}
	switch t {
	case tPassword, tString:
		// Defaults as upstream: every class on, no minimums; `number` is the deprecated alias of `numeric`.
		for _, k := range []string{"lower", "upper", "special"} {
			if _, ok := news[resource.PropertyKey(k)]; !ok {
				news[resource.PropertyKey(k)] = resource.NewBoolProperty(true)
			}
		}
		numeric, hasNumeric := news["numeric"]
		number, hasNumber := news["number"]
		switch {
		case hasNumeric && !hasNumber:
			news["number"] = numeric
		case hasNumber && !hasNumeric:
			news["numeric"] = number
		case !hasNumber && !hasNumeric:
			news["numeric"] = resource.NewBoolProperty(true)
			news["number"] = resource.NewBoolProperty(true)
		}
		for _, k := range []string{"minLower", "minUpper", "minNumeric", "minSpecial"} {
			if _, ok := news[resource.PropertyKey(k)]; !ok {
				news[resource.PropertyKey(k)] = resource.NewNumberProperty(0)
			}
		}
		if l, ok := news["length"]; !ok {
			fail("length", "missing required property 'length'")
		} else if known(l) {
			mins := numOr(news, "minLower", 0) + numOr(news, "minUpper", 0) + numOr(news, "minNumeric", 0) +
				numOr(news, "minSpecial", 0)
			if !l.IsNumber() || l.NumberValue() < 1 {
				fail("length", "length must be at least 1")
			} else if l.NumberValue() < mins {
				fail("length", fmt.Sprintf("length (%v) is smaller than the sum of the minimums (%v)", l.NumberValue(), mins))
			}
		}
	case tBytes:
		if l, ok := news["length"]; !ok {
			fail("length", "missing required property 'length'")
		} else if known(l) && (!l.IsNumber() || l.NumberValue() < 1) {
			fail("length", "length must be at least 1")
		}
	case tID:
		if l, ok := news["byteLength"]; !ok {
			fail("byteLength", "missing required property 'byteLength'")
		} else if known(l) && (!l.IsNumber() || l.NumberValue() < 1) {
			fail("byteLength", "byteLength must be at least 1")
		}
	case tInteger:
		for _, k := range []string{"min", "max"} {
			if _, ok := news[resource.PropertyKey(k)]; !ok {
				fail(k, "missing required property '"+k+"'")
			}
		}
		if mn, mx := news["min"], news["max"]; known(mn) && known(mx) && mn.IsNumber() && mx.IsNumber() &&
			mx.NumberValue() < mn.NumberValue() {
			fail("max", "max must be greater than or equal to min")
		}
	}
	s, err := marshal(news)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.CheckResponse{Inputs: s, Failures: failures}, nil
}

func (p *randomProvider) Diff(_ context.Context, req *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	t := typeOf(req.GetUrn())
	olds, err := unmarshal(req.GetOldInputs())
	if err != nil {
		return nil, err
	}
	if len(olds) == 0 {
		if olds, err = unmarshal(req.GetOlds()); err != nil {
			return nil, err
		}
	}
	news, err := unmarshal(req.GetNews())
	if err != nil {
		return nil, err
	}
	var replaces []string
	detailed := map[string]*pulumirpc.PropertyDiff{}
	for _, k := range inputs[t] {
		o, hasOld := olds[resource.PropertyKey(k)]
		n, hasNew := news[resource.PropertyKey(k)]
		if hasOld && o.IsNull() {
			hasOld = false
		}
		if hasNew && n.IsNull() {
			hasNew = false
		}
		var kind pulumirpc.PropertyDiff_Kind
		switch {
		case !hasOld && !hasNew:
			continue
		case !hasOld:
			kind = pulumirpc.PropertyDiff_ADD_REPLACE
		case !hasNew:
			kind = pulumirpc.PropertyDiff_DELETE_REPLACE
		case n.ContainsUnknowns() || !o.DeepEquals(n):
			kind = pulumirpc.PropertyDiff_UPDATE_REPLACE
		default:
			continue
		}
		replaces = append(replaces, k)
		detailed[k] = &pulumirpc.PropertyDiff{Kind: kind, InputDiff: true}
	}
	sort.Strings(replaces)
	changes := pulumirpc.DiffResponse_DIFF_NONE
	if len(replaces) > 0 {
		changes = pulumirpc.DiffResponse_DIFF_SOME
	}
	return &pulumirpc.DiffResponse{
		Changes: changes, Replaces: replaces, Diffs: replaces,
		DetailedDiff: detailed, HasDetailedDiff: true,
	}, nil
}

const (
	lowerChars   = "abcdefghijklmnopqrstuvwxyz"
	upperChars   = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	numericChars = "0123456789"
	// upstream's default special characters
	specialChars = "!@#$%&*()-_=+[]{}<>:?"
)

func randIndex(n int) (int, error) {
	v, err := rand.Int(rand.Reader, big.NewInt(int64(n)))
	if err != nil {
		return 0, err
	}
	return int(v.Int64()), nil
}

// generateString honours the class switches, the minimums and overrideSpecial, then shuffles.
func generateString(in resource.PropertyMap) (string, error) {
	length := int(numOr(in, "length", 0))
	special := specialChars
	if v, ok := in["overrideSpecial"]; ok && v.IsString() {
		special = v.StringValue()
	}
	type class struct {
		on    bool
		chars string
		min   int
	}
	classes := []class{
		{boolOr(in, "lower", true), lowerChars, int(numOr(in, "minLower", 0))},
		{boolOr(in, "upper", true), upperChars, int(numOr(in, "minUpper", 0))},
		{boolOr(in, "numeric", boolOr(in, "number", true)), numericChars, int(numOr(in, "minNumeric", 0))},
		{boolOr(in, "special", true), special, int(numOr(in, "minSpecial", 0))},
	}
	var all strings.Builder
	var out []byte
	for _, c := range classes {
		if c.min > 0 && c.chars == "" {
			return "", fmt.Errorf("a minimum is set for an empty character class")
		}
		for i := 0; i < c.min; i++ {
			j, err := randIndex(len(c.chars))
			if err != nil {
				return "", err
			}
			out = append(out, c.chars[j])
		}
		if c.on {
			all.WriteString(c.chars)
		}
	}
	pool := all.String()
	if pool == "" {
		return "", fmt.Errorf("every character class is disabled")
	}
	for len(out) < length {
		j, err := randIndex(len(pool))
		if err != nil {
			return "", err
		}
		out = append(out, pool[j])
	}
	for i := len(out) - 1; i > 0; i-- { // Fisher-Yates
		j, err := randIndex(i + 1)
		if err != nil {
			return "", err
		}
		out[i], out[j] = out[j], out[i]
	}
	return string(out), nil
}

func randomBytes(n int) ([]byte, error) {
	b := make([]byte, n)
	_, err := rand.Read(b)
	return b, err
}

func uuid4() (string, error) {
	b, err := randomBytes(16)
	if err != nil {
		return "", err
	}
	b[6] = (b[6] & 0x0f) | 0x40
	b[8] = (b[8] & 0x3f) | 0x80
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:], nil
}

// generate computes the outputs of a resource and its ID.
func generate(t string, in resource.PropertyMap) (string, resource.PropertyMap, error) {
	out := in.Copy()
	str := resource.NewStringProperty
	switch t {
	case tPassword:
		s, err := generateString(in)
		if err != nil {
			return "", nil, err
		}
		hash, err := bcrypt.GenerateFromPassword([]byte(s), bcrypt.DefaultCost)
		if err != nil {
			return "", nil, err
		}
		out["result"] = resource.MakeSecret(str(s))
		out["bcryptHash"] = resource.MakeSecret(str(string(hash)))
		return "none", out, nil
	case tString:
		s, err := generateString(in)
		if err != nil {
			return "", nil, err
		}
		out["result"] = str(s)
		return s, out, nil
	case tBytes:
		b, err := randomBytes(int(numOr(in, "length", 0)))
		if err != nil {
			return "", nil, err
		}
		out["base64"] = resource.MakeSecret(str(base64.StdEncoding.EncodeToString(b)))
		out["hex"] = resource.MakeSecret(str(hex.EncodeToString(b)))
		return "none", out, nil
	case tID:
		b, err := randomBytes(int(numOr(in, "byteLength", 0)))
		if err != nil {
			return "", nil, err
		}
		prefix := strOr(in, "prefix", "")
		b64url := base64.RawURLEncoding.EncodeToString(b)
		out["b64Url"] = str(prefix + b64url)
		out["b64Std"] = str(prefix + base64.StdEncoding.EncodeToString(b))
		out["hex"] = str(prefix + hex.EncodeToString(b))
		out["dec"] = str(prefix + new(big.Int).SetBytes(b).String())
		return b64url, out, nil
	case tUUID:
		u, err := uuid4()
		if err != nil {
			return "", nil, err
		}
		out["result"] = str(u)
		return u, out, nil
	case tInteger:
		mn, mx := int64(numOr(in, "min", 0)), int64(numOr(in, "max", 0))
		v, err := rand.Int(rand.Reader, big.NewInt(mx-mn+1))
		if err != nil {
			return "", nil, err
		}
		r := v.Int64() + mn
		out["result"] = resource.NewNumberProperty(float64(r))
		return strconv.FormatInt(r, 10), out, nil
	}
	return "", nil, fmt.Errorf("resource type %s is not implemented by the e2e stand-in random provider", t)
}

func (p *randomProvider) Create(_ context.Context, req *pulumirpc.CreateRequest) (*pulumirpc.CreateResponse, error) {
	t := typeOf(req.GetUrn())
	in, err := unmarshal(req.GetProperties())
	if err != nil {
		return nil, err
	}
	if req.GetPreview() {
		out := in.Copy()
		for _, k := range outputs[t] {
			out[resource.PropertyKey(k)] = resource.MakeComputed(resource.NewStringProperty(""))
		}
		s, err := marshal(out)
		if err != nil {
			return nil, err
		}
		return &pulumirpc.CreateResponse{Properties: s}, nil
	}
	id, out, err := generate(t, in)
	if err != nil {
		return nil, err
	}
	s, err := marshal(out)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.CreateResponse{Id: id, Properties: s}, nil
}

// Read returns the recorded state unchanged: generated values live only in Pulumi state.
func (p *randomProvider) Read(_ context.Context, req *pulumirpc.ReadRequest) (*pulumirpc.ReadResponse, error) {
	if len(req.GetProperties().GetFields()) == 0 {
		return nil, fmt.Errorf("import is not supported by the e2e stand-in random provider")
	}
	return &pulumirpc.ReadResponse{Id: req.GetId(), Properties: req.GetProperties(), Inputs: req.GetInputs()}, nil
}

// Update is never planned (every input change replaces); it keeps the old outputs if it is called.
func (p *randomProvider) Update(_ context.Context, req *pulumirpc.UpdateRequest) (*pulumirpc.UpdateResponse, error) {
	olds, err := unmarshal(req.GetOlds())
	if err != nil {
		return nil, err
	}
	news, err := unmarshal(req.GetNews())
	if err != nil {
		return nil, err
	}
	for _, k := range outputs[typeOf(req.GetUrn())] {
		if v, ok := olds[resource.PropertyKey(k)]; ok {
			news[resource.PropertyKey(k)] = v
		}
	}
	s, err := marshal(news)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.UpdateResponse{Properties: s}, nil
}

func (p *randomProvider) Delete(context.Context, *pulumirpc.DeleteRequest) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}

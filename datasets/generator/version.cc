// Version of the generator's output format, written into every data set's catalog.yaml.
namespace cg::datasets {
extern const char* const kGeneratorVersion;
const char* const kGeneratorVersion = "1";
}  // namespace cg::datasets

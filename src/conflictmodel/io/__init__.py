"""Reading and writing datasets: serialisation, importers and exports."""
